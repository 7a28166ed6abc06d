"""Review in the browser: ``kiemphieu serve COUNT`` (FastAPI app, Jinja2 templates, a little JavaScript)."""
