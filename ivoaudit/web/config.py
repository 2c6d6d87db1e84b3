"""What one start of the web app runs with: where the data lives and who may come in."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from pathlib import Path

LOOPBACK = "127.0.0.1"
# A national extract is about 4·10⁵ cases a year, some 70 MB as CSV; room for several years.
DEFAULT_UPLOAD_LIMIT = 1024 * 1024 * 1024  # 1 GiB


def default_workdir() -> Path:
    """The app's working folder in the user's data directory (uploads and outputs)."""
    import platformdirs

    return Path(platformdirs.user_data_dir("ivoaudit", appauthor=False)) / "app"


@dataclass(frozen=True)
class WebConfig:
    """Settings of one running app.

    ``token`` is put in the address the browser opens and exchanged for ``session``, an
    HttpOnly cookie; ``csrf`` is the token every form carries. All three are new at every
    start, so an address or cookie from an earlier start lets nobody in.
    """

    workdir: Path
    db: Path | None = None
    host: str = LOOPBACK
    port: int = 0
    upload_limit: int = DEFAULT_UPLOAD_LIMIT
    token: str = field(default_factory=lambda: secrets.token_urlsafe(32))
    session: str = field(default_factory=lambda: secrets.token_urlsafe(32))
    csrf: str = field(default_factory=lambda: secrets.token_urlsafe(32))

    @property
    def origin(self) -> str:
        """``http://host:port`` as the browser writes it in Origin headers."""
        return f"http://{self.host_text}:{self.port}"

    @property
    def host_text(self) -> str:
        return f"[{self.host}]" if ":" in self.host else self.host

    @property
    def cookie_name(self) -> str:
        """Cookies are not kept apart by port: two apps on one machine get two names."""
        return f"ivoaudit_{self.port}"

    @property
    def login_url(self) -> str:
        """The address printed and opened: the token is exchanged for the cookie there."""
        return f"{self.origin}/login?token={self.token}"

    def allowed_hosts(self) -> set[str]:
        """Host headers accepted (DNS-rebinding defence): the address listened on."""
        hosts = {f"{self.host_text}:{self.port}"}
        if self.host in ("0.0.0.0", "::"):
            hosts.add(f"{LOOPBACK}:{self.port}")
        return hosts
