"""Reader B's classifiers: ONNX networks run with OpenCV's dnn module (no other runtime dependency).

``Models.load()`` reads ``models/{names,cells,regions}.onnx`` (trained by ``training/train_reader_b.py``)
once per process; ``Models.probabilities`` runs one of them on a batch of crops.
"""
from __future__ import annotations

import dataclasses
from pathlib import Path

import cv2
import numpy as np

from .decide import softmax

MODEL_DIR = Path(__file__).resolve().parent / "models"
KINDS = ("names", "cells", "regions")
BATCH = 64            # crops per forward pass


class ModelMissing(RuntimeError):
    """A classifier's ONNX file is not there (the package was installed without its models)."""


@dataclasses.dataclass
class Models:
    nets: dict[str, cv2.dnn.Net]

    @classmethod
    def load(cls, folder: Path = MODEL_DIR) -> Models:
        nets = {}
        for kind in KINDS:
            path = folder / f"{kind}.onnx"
            if not path.exists():
                raise ModelMissing(str(path))
            nets[kind] = cv2.dnn.readNetFromONNX(str(path))
        return cls(nets)

    def probabilities(self, kind: str, crops: np.ndarray) -> np.ndarray:
        """(n, classes) probabilities of ``crops`` (n, 2, h, w) float32 0..1."""
        if len(crops) == 0:
            return np.zeros((0, 3), np.float32)
        net = self.nets[kind]
        out = []
        for i in range(0, len(crops), BATCH):
            net.setInput(np.ascontiguousarray(crops[i:i + BATCH], dtype=np.float32))
            out.append(net.forward().reshape(-1, 3))
        return softmax(np.concatenate(out).astype(np.float64))
