#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""A small CNN on Fashion-MNIST (two 3×3 convolutions with max pooling, then two linear
layers), watched by gradlab_watch. The window shows each convolution's kernel as a matrix of
out_channels × in_channels·3·3, beside the linear layers' weights.

    PYTHONPATH=python /usr/bin/python3 examples/pytorch/cnn.py runs/cnn
"""
import os

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

import torch
from torch import nn

import fashion_mnist
import gradlab_watch


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(1, 8, 3), nn.ReLU(), nn.MaxPool2d(2),      # 28 → 26 → 13
            nn.Conv2d(8, 16, 3), nn.ReLU(), nn.MaxPool2d(2),     # 13 → 11 → 5
        )
        self.classifier = nn.Sequential(nn.Flatten(), nn.Linear(16 * 5 * 5, 64), nn.ReLU(),
                                        nn.Linear(64, 10))

    def forward(self, x):
        return self.classifier(self.features(x))


def main():
    a = fashion_mnist.arguments(__doc__.split("\n")[0], samples=4000).parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    x, y = fashion_mnist.load("train", a.samples, flat=False)
    xt, yt = fashion_mnist.load("t10k", 1000, flat=False)
    model = Net()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    loss_fn = nn.CrossEntropyLoss()
    run = gradlab_watch.watch(model, a.run_dir, optimizer=optimizer,
                              log_every=a.log_every, heavy_every=a.heavy_every)
    for epoch in range(1, a.epochs + 1):
        for xb, yb in fashion_mnist.batches(x, y, a.batch):
            outputs = model(xb)
            loss = loss_fn(outputs, yb)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            run.step(loss=loss, outputs=outputs, targets=yb, epoch=epoch)
        test_loss, test_accuracy = fashion_mnist.evaluate(model, xt, yt, loss_fn)
        run.eval(loss=test_loss, accuracy=test_accuracy)
        print("epoch %d: test loss %.4f, accuracy %.4f" % (epoch, test_loss, test_accuracy))
    run.close()


if __name__ == "__main__":
    main()
