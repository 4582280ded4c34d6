"""Python side of tools/eval/ort_server.mjs: runs a SAM-family model through
onnxruntime-node (there is no Python onnxruntime here). One persistent Node
process; frames of [u32 header length][JSON][u32 body length][float32 bytes]."""
import json
import pathlib
import struct
import subprocess

import numpy as np

SERVER = pathlib.Path(__file__).resolve().parent / "ort_server.mjs"


class OrtServer:
    def __init__(self, model_dir, threads=2):
        # stderr is inherited so Node errors show up in the terminal.
        self.proc = subprocess.Popen(["node", str(SERVER)], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        reply, _ = self._call({"op": "load", "dir": str(pathlib.Path(model_dir).resolve()), "threads": threads})
        self.manifest = reply["manifest"]
        self.low_res = self.manifest.get("low_res_size") or self.manifest["embedding_shape"][1] * 4

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def close(self):
        if self.proc.poll() is None:
            self._send({"op": "quit"}, b"")
            self.proc.stdin.close()
            self.proc.wait(timeout=30)
        self.proc.stdout.close()

    def _send(self, header, body):
        head = json.dumps(header).encode()
        self.proc.stdin.write(struct.pack("<I", len(head)) + head + struct.pack("<I", len(body)) + body)
        self.proc.stdin.flush()

    def _read(self, n):
        data = self.proc.stdout.read(n)
        if len(data) != n:
            raise RuntimeError("ort_server.mjs exited (see its error above)")
        return data

    def _call(self, header, body=b""):
        self._send(header, body)
        reply = json.loads(self._read(struct.unpack("<I", self._read(4))[0]))
        payload = self._read(struct.unpack("<I", self._read(4))[0])
        if not reply["ok"]:
            raise RuntimeError("ort_server.mjs: " + reply["error"])
        return reply, np.frombuffer(payload, dtype="<f4")

    def encode(self, tensor):
        """tensor: float32 [1, 3, N, N]. The embedding stays in the server; returns ms."""
        reply, _ = self._call({"op": "encode"}, np.ascontiguousarray(tensor, dtype="<f4").tobytes())
        return reply["ms"]

    def decode(self, coords, labels, mask_input, has_mask, height, width, with_masks=False):
        """coords [P, 2] and labels [P] in model space; mask_input [L, L].
        Returns (iou [M], low_res [M, L, L], ms) and, with with_masks, the
        decoder's own full-size masks [M, H, W] (for checking post-processing)."""
        count = len(labels)
        body = b"".join(np.ascontiguousarray(a, dtype="<f4").tobytes() for a in (coords, labels, mask_input))
        header = {"op": "decode", "count": count, "has_mask": int(has_mask), "height": int(height),
                  "width": int(width), "with_masks": bool(with_masks)}
        reply, data = self._call(header, body)
        m, plane = reply["masks"], self.low_res * self.low_res
        iou = data[:m].copy()
        low_res = data[m:m + m * plane].reshape(m, self.low_res, self.low_res).copy()
        if with_masks:
            full = data[m + m * plane:].reshape(m, height, width).copy()
            return iou, low_res, reply["ms"], full
        return iou, low_res, reply["ms"]
