package main
import ("html/template";"net/http")
func main(){ t := template.Must(template.ParseFiles("templates/page.html")); http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request){ t.Execute(w, "hi") }); http.ListenAndServe(":8080", nil) }
