# SPDX-License-Identifier: GPL-2.0
"""The host's end of an in-guest transfer over QEMU's user-mode network,
where the guest reaches the host's 127.0.0.1 as 10.0.2.2.  Listens on an
ephemeral port of 127.0.0.1 only.  Two requests, one per connection:

  "BYTES MD5\\n" then BYTES bytes: the guest's TX.  The md5 is compared
      here and "match" or "mismatch" sent back.
  "GET BYTES\\n": the guest's RX.  The answer is "MD5\\n" then BYTES
      random bytes; the guest compares the md5 itself.

Connections that end before a header are ignored (ping and DHCP probes
never open one, but a retried nc may).  It serves REQUESTS requests, or
until stop() when None."""
import hashlib
import os
import socket
import threading


class Peer(threading.Thread):
    def __init__(self, timeout, requests=None):
        super().__init__(daemon=True)
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(4)
        self.sock.settimeout(timeout)
        self.port = self.sock.getsockname()[1]
        self.requests = requests
        self.verdict = None	# of the last TX request
        self.sent = None	# bytes handed to the last RX request
        self.verdicts = []	# of every TX request, in order
        self.sents = []		# bytes of every RX request

    def receive(self, f, conn, size, want):
        h, got = hashlib.md5(), 0
        while got < size:
            chunk = f.read(min(1 << 16, size - got))
            if not chunk:
                break
            h.update(chunk)
            got += len(chunk)
        ok = got == size and h.hexdigest() == want
        self.verdict = "match" if ok else \
            f"mismatch: {got} of {size} bytes, md5 {h.hexdigest()}"
        self.verdicts.append(self.verdict)
        conn.sendall(("match" if ok else "mismatch").encode() + b"\n")

    def send(self, conn, size):
        data = os.urandom(size)
        conn.sendall(hashlib.md5(data).hexdigest().encode() + b"\n")
        conn.sendall(data)
        self.sent = size
        self.sents.append(size)

    def serve(self, conn):
        conn.settimeout(60)
        f = conn.makefile("rb")
        words = f.readline().split()
        if len(words) != 2:
            return False
        if words[0] == b"GET" and words[1].isdigit():
            self.send(conn, int(words[1]))
        elif words[0].isdigit():
            self.receive(f, conn, int(words[0]), words[1].decode())
        else:
            return False
        return True

    def run(self):
        served = 0
        try:
            while self.requests is None or served < self.requests:
                conn, _ = self.sock.accept()
                with conn:
                    try:
                        served += self.serve(conn)
                    except OSError as e:
                        self.verdict = f"connection failed: {e}"
                        served += 1
        except OSError:
            pass

    def reset(self):
        """Forget what earlier requests did (a rerun of the guest)."""
        self.verdict = self.sent = None
        self.verdicts, self.sents = [], []

    def stop(self):
        self.sock.close()
        self.join(5)
