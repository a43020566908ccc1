import streamlit as st
st.title("Dashboard")
st.write("hello")
