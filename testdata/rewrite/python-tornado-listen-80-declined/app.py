import asyncio
import tornado.web

class Main(tornado.web.RequestHandler):
    def get(self):
        self.write('ok')

async def main():
    app = tornado.web.Application([(r'/', Main)])
    app.listen(80)
    await asyncio.Event().wait()

if __name__ == '__main__':
    asyncio.run(main())
