from pydantic_settings import BaseSettings
from pydantic import Field
import uvicorn
from fastapi import FastAPI
class Settings(BaseSettings):
    port: int = Field(default=80, env="PORT")
s = Settings()
uvicorn.run(FastAPI(), host="0.0.0.0", port=s.port)
