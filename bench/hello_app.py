"""The ceiling for bench/load.py: a one-route Flask app served with the same gunicorn settings."""
from flask import Flask

app = Flask(__name__)


@app.route("/")
def hello() -> str:
    return "hello"
