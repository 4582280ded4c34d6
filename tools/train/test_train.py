#!/usr/bin/python3
"""Checks of the training recipe, run by `make test`:
- the sample generator is deterministic for a seed and gives sane targets;
- a few optimisation steps on one fixed batch lower the loss (the whole
  pipeline: data, prompts, iterative passes, loss, backward);
- the exported ONNX files pass ONNX's checker and declare SAM's signature.
"""
import pathlib
import sys
import tempfile
import unittest

import numpy as np
import onnx
import torch

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "export"))
import model as M   # noqa: E402
import synth        # noqa: E402
import train        # noqa: E402


class TrainingRecipe(unittest.TestCase):
    def test_samples_are_deterministic_and_sane(self):
        a = synth.sample(np.random.default_rng([1, 2]), 128)
        b = synth.sample(np.random.default_rng([1, 2]), 128)
        np.testing.assert_array_equal(a[0], b[0])
        np.testing.assert_array_equal(a[1], b[1])
        image, target = a
        self.assertEqual(image.shape, (128, 128))
        self.assertTrue(0 <= image.min() and image.max() <= 255)
        self.assertGreaterEqual(target.sum(), 6)

    def test_a_few_steps_lower_the_loss(self):
        torch.manual_seed(0)
        torch.set_num_threads(2)
        encoder, decoder = M.Encoder(), M.Decoder()
        params = list(encoder.parameters()) + list(decoder.parameters())
        optimiser = torch.optim.Adam(params, lr=3e-3)
        losses = []
        for _ in range(12):
            # The same batch, prompts and passes every step: only the weights change.
            loss, _ = train.train_step(encoder, decoder, np.random.default_rng(7), 4, 128)
            losses.append(float(loss))
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
        self.assertLess(losses[-1], 0.8 * losses[0], f"losses: {losses}")

    def test_export_has_the_sam_signature(self):
        import export
        with tempfile.TemporaryDirectory() as tmp:
            checkpoint = pathlib.Path(tmp) / "checkpoint.pt"
            torch.save({"encoder": M.Encoder().state_dict(), "decoder": M.Decoder().state_dict(), "step": 0},
                       checkpoint)
            manifest = export.export(checkpoint, pathlib.Path(tmp))
            decoder = onnx.load(str(pathlib.Path(tmp) / "decoder.onnx"))
            onnx.checker.check_model(decoder)
            self.assertEqual([i.name for i in decoder.graph.input], export.DECODER_INPUTS)
            self.assertEqual([o.name for o in decoder.graph.output], export.DECODER_OUTPUTS)
            encoder = onnx.load(str(pathlib.Path(tmp) / "encoder.onnx"))
            dims = [d.dim_value for d in encoder.graph.output[0].type.tensor_type.shape.dim]
            self.assertEqual(dims, [1] + manifest["embedding_shape"])


if __name__ == "__main__":
    unittest.main()
