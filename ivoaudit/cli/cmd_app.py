"""``ivoaudit app``: the local web app, on 127.0.0.1, for people who never open a terminal."""

from __future__ import annotations

import ipaddress
from pathlib import Path

import click

from ivoaudit.cli.options import db_option, echo, new_command, option
from ivoaudit.errors import UsageError
from ivoaudit.i18n import t


def _is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


@new_command(
    "app",
    help=(
        "Starta webbappen: hela kedjan i webbläsaren (läsa in uttag, granska, stickprov, "
        "rapporter), på den här datorn.\n\n"
        "Appen lyssnar bara på 127.0.0.1 och släpper bara in den som har adressen som skrivs ut "
        "(den är ny vid varje start). Uppladdade uttag och alla utdata hamnar i en arbetsmapp i "
        "din användarmapp (eller --workdir); ingenting skickas någonstans. Stoppa med Ctrl+C.",
        "Start the web app: the whole cycle in the browser (load extracts, check, sample, "
        "reports), on this computer.\n\n"
        "The app listens on 127.0.0.1 only and lets in only whoever has the address it prints "
        "(new at every start). Uploaded extracts and every output go to a working folder in your "
        "user folder (or --workdir); nothing is sent anywhere. Stop it with Ctrl+C."),
)
@option("--port", type=click.IntRange(0, 65535), default=0, show_default=True,
              help=("Port (0: en ledig port).", "Port (0: a free port)."))
@option("--no-browser", is_flag=True, default=False,
              help=("Öppna inte webbläsaren.", "Do not open the browser."))
@db_option
@option("--workdir", type=click.Path(file_okay=False, path_type=Path),
              help=("Arbetsmapp för uppladdningar och utdata (standard: i användarens datamapp).",
                             "Working folder for uploads and outputs (default: in the user data folder)."))
@option("--host", default=None,
              help=("Adress att lyssna på (standard 127.0.0.1). Annat än 127.0.0.1 gör de "
                             "sekretessbelagda uppgifterna nåbara från nätverket.",
                             "Address to listen on (default 127.0.0.1). Anything but 127.0.0.1 makes the "
                             "confidential data reachable from the network."))
@option("--upload-limit", type=click.IntRange(1, 1_000_000), default=1024, show_default=True,
              help=("Största fil som kan laddas upp, i MB.", "Largest file that can be uploaded, in MB."))
def command(port: int, no_browser: bool, db: Path | None, workdir: Path | None, host: str | None,
            upload_limit: int) -> None:
    from ivoaudit.web.config import LOOPBACK, WebConfig, default_workdir
    from ivoaudit.web.server import bind, serve

    address = host or LOOPBACK
    if host is not None and not _is_loopback(host):
        echo(t(
            "VARNING: appen lyssnar på {h}, inte bara på den här datorn. Uppgifterna är "
            "sekretessbelagda (OSL 26 kap.): alla som når adressen och har länken kommer åt dem.",
            "WARNING: the app listens on {h}, not only on this computer. The data are confidential "
            "(OSL chapter 26): anyone who reaches the address and has the link can get at them.",
            h=host), err=True)
    try:
        sock = bind(address, port)
    except OSError as exc:
        raise UsageError(t("Kan inte lyssna på {h}:{p} ({e}). Välj en annan port med --port, eller "
                           "utelämna --port för en ledig.",
                           "Cannot listen on {h}:{p} ({e}). Choose another port with --port, or leave "
                           "--port out for a free one.", h=address, p=port, e=exc.strerror or exc)) from None
    config = WebConfig(workdir=workdir or default_workdir(), db=db, host=address,
                       port=sock.getsockname()[1], upload_limit=upload_limit * 2**20)
    echo(config.login_url)
    echo(t("ivoaudit körs på den här datorn. Öppna adressen ovan i webbläsaren (den gäller bara "
                 "tills appen stoppas). Arbetsmapp: {w}. Stoppa med Ctrl+C.",
                 "ivoaudit is running on this computer. Open the address above in the browser (it is "
                 "valid until the app stops). Working folder: {w}. Stop it with Ctrl+C.", w=config.workdir))

    def open_browser() -> None:
        import webbrowser

        webbrowser.open(config.login_url)

    import sys

    sys.stdout.flush()
    serve(config, sock, None if no_browser else open_browser)
    echo(t("ivoaudit har stoppats.", "ivoaudit has stopped."))
