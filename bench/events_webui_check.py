"""The real Kitsu web UI against this server: a comment posted in one browser appears in another
without reload (not a test: a check run by hand, in its own venv with Playwright).

Setup (see /work/shared/kitsu-web-ui/README.md): the UI built into <kitsu>/dist, this server on
port 8150 (`LIVE_ALLOWED_ORIGINS=http://127.0.0.1:8151 uvicorn kitsu_server.asgi:application
--port 8150` on a database with `init_data`, `seed_demo`, the admin and a second member
sam@example.com / samsecret123), then `python proxy.py 8151 <kitsu>/dist
http://127.0.0.1:8150/api http://127.0.0.1:8150`, and:

    /work/pw-venv/bin/python bench/events_webui_check.py http://127.0.0.1:8151 \\
        /productions/<project>/episodes/<episode>/shots/tasks/<task>

Prints how long the comment took to show in the other browser, what that browser fetched on the
`comment:new` event, and every console error and /api answer >= 400 of both.
"""

import sys
import time
import uuid

from playwright.sync_api import sync_playwright

UA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36"
BASE, TASK_PATH = sys.argv[1], sys.argv[2]
USERS = [("admin@example.com", "mysecretpassword"), ("sam@example.com", "samsecret123")]


def open_browser(browser, email, password, log):
    context = browser.new_context(user_agent=UA, viewport={"width": 1500, "height": 950})
    page = context.new_page()
    page.on("console", lambda m: m.type == "error" and log.append(f"[{email}] console: {m.text[:200]}"))
    page.on(
        "response",
        lambda r: "/api/" in r.url and r.status >= 400 and log.append(f"[{email}] {r.status} {r.url}"),
    )
    sockets = []
    page.on("websocket", lambda ws: sockets.append(ws.url))
    page.goto(f"{BASE}/login")
    page.fill("input[type=email], input[name=email]", email)
    page.fill("input[type=password]", password)
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: "/login" not in url, timeout=30000)
    page.goto(f"{BASE}{TASK_PATH}")
    page.wait_for_load_state("networkidle")
    return context, page, sockets


with sync_playwright() as p:
    browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
    log = []
    (ctx_a, page_a, sockets_a), (ctx_b, page_b, sockets_b) = [
        open_browser(browser, *user, log) for user in USERS
    ]
    time.sleep(2)
    text = f"Live check {uuid.uuid4().hex[:8]}"
    posted_by = "ui"
    try:
        box = page_b.locator("textarea").first
        box.click()
        box.fill(text)
        page_b.get_by_role("button", name="Post", exact=True).first.click(timeout=5000)
    except Exception as error:  # noqa: BLE001
        posted_by = f"fetch (the UI's form: {type(error).__name__})"
        task_id = TASK_PATH.rstrip("/").split("/")[-1]
        status = page_b.evaluate(
            """async ([taskId, text]) => {
                const task = await (await fetch(`/api/data/tasks/${taskId}`)).json()
                const r = await fetch(`/api/actions/tasks/${taskId}/comment`, {method: 'POST',
                  headers: {'Content-Type': 'application/json'},
                  body: JSON.stringify({task_status_id: task.task_status_id, comment: text})})
                return r.status
            }""",
            [task_id, text],
        )
        print("posted through fetch:", status)
    after_post = []
    page_a.on(
        "request", lambda r: "/api/" in r.url and after_post.append(f"{r.method} {r.url.split('/api', 1)[1]}")
    )
    started = time.monotonic()
    print("posted by", posted_by, "| websockets A:", sockets_a, "B:", sockets_b, "| A at", page_a.url)
    try:
        page_a.get_by_text(text).first.wait_for(timeout=30000)
        print(f"seen in browser A after {time.monotonic() - started:.1f} s, no reload")
        print("browser A's requests since (what the comment:new event made it fetch):", after_post)
    finally:
        page_a.screenshot(path="/work/webui/check/browser_a.png")
        page_b.screenshot(path="/work/webui/check/browser_b.png")
        print("\n".join(log) or "no console error, no /api answer >= 400")
        browser.close()
