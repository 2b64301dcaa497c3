"""redis_proxy.py LISTEN_PORT REDIS_PORT ARM_FILE: a TCP relay on
127.0.0.1 in front of a Redis server, for tests_redis.sh. While
ARM_FILE exists, the first connection that sends a command with a batch
in it (an EVAL whose batch number is not 0) has it relayed to Redis,
which applies it, and is then closed before Redis's answer reaches the
client: the case where a client cannot know whether its batch was
counted. The file is removed and "dropped" printed, once per arming.
Runs until killed."""
import os
import re
import socket
import sys
import threading

listen_port, redis_port, arm = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
lock = threading.Lock()
# EVAL's arguments after the script: numkeys, 3 keys, then the batch
# number as a RESP bulk string
BATCH = re.compile(rb"\r\n\$1\r\n3\r\n(?:\$\d+\r\n[^\r]*\r\n){3}"
                   rb"\$\d+\r\n([0-9]+)\r\n")


def relay(client):
    upstream = socket.create_connection(("127.0.0.1", redis_port))
    state = {"sent": b"", "drop": False}

    def up():
        try:
            while True:
                d = client.recv(65536)
                if not d:
                    break
                with lock:
                    state["sent"] += d
                    m = BATCH.search(state["sent"])
                    if (not state["drop"] and m and m.group(1) != b"0"
                            and os.path.exists(arm)):
                        os.unlink(arm)
                        state["drop"] = True
                    if m:
                        state["sent"] = b""
                upstream.sendall(d)
        except OSError:
            pass
        finally:
            try:
                upstream.shutdown(socket.SHUT_WR)
            except OSError:
                pass

    t = threading.Thread(target=up, daemon=True)
    t.start()
    try:
        while True:
            d = upstream.recv(65536)
            if not d:
                break
            with lock:
                drop = state["drop"]
            if drop:
                print("dropped", flush=True)
                break
            client.sendall(d)
    except OSError:
        pass
    # shut down, not only closed: the other thread's recv holds it open
    for s in (client, upstream):
        try:
            s.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        s.close()


srv = socket.socket()
srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind(("127.0.0.1", listen_port))
srv.listen(16)
print("listening", flush=True)
while True:
    c, _ = srv.accept()
    threading.Thread(target=relay, args=(c,), daemon=True).start()
