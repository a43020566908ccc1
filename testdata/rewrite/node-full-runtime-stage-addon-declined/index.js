const {native}=require("pg"); new native.Client()
