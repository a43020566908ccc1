from aiohttp import web


async def health(request):
    return web.json_response({"ok": True})


app = web.Application()
app.add_routes([web.get("/health", health)])

if __name__ == "__main__":
    web.run_app(app, port=80)
