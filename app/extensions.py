"""Flask extensions, created here and bound to the app in create_app()."""
from __future__ import annotations

from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_wtf.csrf import CSRFProtect

login_manager = LoginManager()
login_manager.login_view = "auth.login"
login_manager.login_message = "Please sign in to continue."
login_manager.login_message_category = "info"
# "basic" marks a session from another address or browser as not fresh; "strong" would sign out
# every phone that changes networks, remember-me cookie included (docs/decisions.md, "Abuse
# limits and hardening"). The address is the client's only with PROXY_FIX_X_FOR set behind a proxy.
login_manager.session_protection = "basic"

csrf = CSRFProtect()
babel = Babel()
# The limits themselves are in app/web/abuse.py. If the storage (Redis) fails, each worker limits
# on its own in memory rather than failing the request; nothing the limiter does may answer 500.
limiter = Limiter(key_func=get_remote_address, default_limits=[], headers_enabled=True,
                  in_memory_fallback_enabled=True, swallow_errors=True)
