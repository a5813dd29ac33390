#!/usr/bin/env python3
"""A meeting service at a known distance, for the connection item's tests.

Run inside a private network namespace (unshare -n, as root). It opens a TUN device, gives this
side the address 10.9.9.2/24, routes everything else through it too (so every IPv4 packet a
program in the namespace sends arrives here), and answers every TCP SYN sent to 10.9.9.1:443
with a SYN-ACK after the next delay of a list (milliseconds, used in turn). Everything else,
the port 444 among it, gets no answer. The kernel's own TCP on the client side does the rest,
so the handshake Klaar times is a real one that takes as long as the test says. Each IPv4
packet is logged, one line "protocol destination:port", so a test can tell what was contacted.

    syn_delay.py 40,40,40 packets.log        prints "ready" once the device is up
"""
import fcntl
import heapq
import os
import random
import select
import struct
import subprocess
import sys
import time

TUNSETIFF = 0x400454CA
IFF_TUN = 0x0001
IFF_NO_PI = 0x1000
SERVICE = bytes([10, 9, 9, 1])
PORT = 443


def checksum(data: bytes) -> int:
    if len(data) % 2:
        data += b"\0"
    total = sum(struct.unpack(f"!{len(data) // 2}H", data))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return ~total & 0xFFFF


def syn_ack(packet: bytes) -> bytes | None:
    """The SYN-ACK for a SYN to the service, else None."""
    if len(packet) < 40 or packet[0] >> 4 != 4 or packet[9] != 6:
        return None
    ihl = (packet[0] & 0x0F) * 4
    src, dst = packet[12:16], packet[16:20]
    tcp = packet[ihl:]
    sport, dport, seq = struct.unpack("!HHI", tcp[:8])
    flags = tcp[13]
    if dst != SERVICE or dport != PORT or flags & 0x12 != 0x02:
        return None
    header = struct.pack(
        "!HHIIBBHHH", dport, sport, random.getrandbits(32), (seq + 1) & 0xFFFFFFFF,
        5 << 4, 0x12, 65535, 0, 0,
    )
    pseudo = dst + src + struct.pack("!BBH", 0, 6, len(header))
    header = header[:16] + struct.pack("!H", checksum(pseudo + header)) + header[18:]
    ip = struct.pack(
        "!BBHHHBBH4s4s", 0x45, 0, 20 + len(header), random.getrandbits(16), 0x4000, 64, 6, 0,
        dst, src,
    )
    ip = ip[:10] + struct.pack("!H", checksum(ip)) + ip[12:]
    return ip + header


def main() -> None:
    delays = [int(d) / 1000 for d in sys.argv[1].split(",")]
    log = open(sys.argv[2], "a", buffering=1)
    tun = os.open("/dev/net/tun", os.O_RDWR)
    fcntl.ioctl(tun, TUNSETIFF, struct.pack("16sH", b"tun0", IFF_TUN | IFF_NO_PI))
    for command in (
        ["ip", "link", "set", "lo", "up"],
        ["ip", "addr", "add", "10.9.9.2/24", "dev", "tun0"],
        ["ip", "link", "set", "tun0", "up"],
        ["ip", "route", "add", "default", "dev", "tun0"],
    ):
        subprocess.run(command, check=True)
    print("ready", flush=True)
    due: list[tuple[float, int, bytes]] = []
    answered = 0
    while True:
        now = time.monotonic()
        while due and due[0][0] <= now:
            os.write(tun, heapq.heappop(due)[2])
        wait = max(0.0, due[0][0] - now) if due else None
        readable, _, _ = select.select([tun], [], [], wait)
        if readable:
            packet = os.read(tun, 65535)
            if len(packet) >= 24 and packet[0] >> 4 == 4:
                ihl = (packet[0] & 0x0F) * 4
                port = struct.unpack("!H", packet[ihl + 2 : ihl + 4])[0]
                log.write(f"{packet[9]} {'.'.join(map(str, packet[16:20]))}:{port}\n")
            reply = syn_ack(packet)
            if reply is not None:
                delay = delays[answered % len(delays)]
                heapq.heappush(due, (time.monotonic() + delay, answered, reply))
                answered += 1


if __name__ == "__main__":
    main()
