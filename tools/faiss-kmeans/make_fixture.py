#!/usr/bin/env python3
"""Writes the faiss k-means fixture that VptSp.Tests replays (Core/Evaluation/FaissKMeansTests).

Run by hand, never by CI:  /usr/bin/python3 tools/faiss-kmeans/make_fixture.py OUT.json
Needs numpy and faiss (Debian: apt-get install python3-faiss). The k-means is set up as the reference
repository's metrics/__init__.py sets it up for NMI and F1: faiss.Clustering(d, k) with niter = 20,
min_points_per_centroid = 1, max_points_per_centroid = 1e9, the default seed (1234), trained on an
IndexFlatL2, and the labels are each point's nearest final centroid (IndexFlatL2 search, k = 1).
"""
import json
import sys

import faiss
import numpy as np


def kmeans(x, k):
    d = x.shape[1]
    clus = faiss.Clustering(d, k)
    clus.niter = 20
    clus.min_points_per_centroid = 1
    clus.max_points_per_centroid = 1000000000
    index = faiss.IndexFlatL2(d)
    clus.train(x, index)
    centroids = faiss.vector_float_to_array(clus.centroids).reshape(k, d)
    search = faiss.IndexFlatL2(d)
    search.add(centroids)
    _, labels = search.search(x, 1)
    stats = clus.iteration_stats
    nsplit = [stats.at(i).nsplit for i in range(stats.size())]
    return labels.reshape(-1), centroids, nsplit


def case(name, x, k):
    x = np.ascontiguousarray(x, dtype=np.float32)
    labels, centroids, nsplit = kmeans(x, k)
    return {
        "name": name,
        "k": k,
        "data": [[float(v) for v in row] for row in x],
        "assignments": [int(v) for v in labels],
        "centroids": [[float(v) for v in row] for row in centroids],
        "splits_per_iteration": nsplit,
    }


def main(out):
    rng = np.random.RandomState(7)
    centres = rng.normal(size=(6, 8)) * 2.0
    blobs = centres[np.arange(90) % 6] + rng.normal(size=(90, 8))
    overlap = rng.normal(size=(150, 16))
    # Many exact duplicates: several initial centroids coincide, their clusters come out empty and are split.
    base = np.array([[0, 0], [4, 4], [-4, 4], [0.5, -3]], dtype=np.float64)
    dup = np.concatenate([np.repeat(base[:1], 14, 0), np.repeat(base[1:2], 5, 0),
                          np.repeat(base[2:3], 3, 0), base[3:4] + rng.normal(size=(4, 2)) * 0.1])
    cases = [case("blobs", blobs, 6), case("overlap", overlap, 12), case("duplicates", dup, 7)]
    doc = {
        "provenance": "tools/faiss-kmeans/make_fixture.py, faiss " + faiss.__version__ + ", numpy " + np.__version__,
        "cases": cases,
    }
    with open(out, "w") as f:
        json.dump(doc, f, indent=1)
    for c in cases:
        print(c["name"], "splits per iteration:", c["splits_per_iteration"])


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "faiss_kmeans.json")
