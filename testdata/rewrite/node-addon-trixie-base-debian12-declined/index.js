require("./build/Release/fast.node"); require("express")().listen(3000)
