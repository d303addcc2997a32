# A small web service: FastAPI (pydantic-core is its C-extension wheel) served by uvicorn, whose
# console script the venv's bin/ holds.
from fastapi import FastAPI

app = FastAPI()


@app.get("/")
def hello():
    return {"hello": "from rig's venv"}
