package main

import "github.com/gin-gonic/gin"

func main() {
	r := gin.Default()
	r.POST("/files", func(c *gin.Context) {
		file, err := c.FormFile("file")
		if err != nil {
			c.String(400, err.Error())
			return
		}
		// Relative to the working folder: `/` in the image, which only root may write.
		if err := c.SaveUploadedFile(file, "./uploads/"+file.Filename); err != nil {
			c.String(500, err.Error())
			return
		}
		c.String(200, "ok")
	})
	r.Run(":8080")
}
