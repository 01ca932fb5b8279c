#!/usr/bin/env python3
"""NMI/F1 of faiss k-means, set up as the reference sets it up, on CUB-test-sized synthetic embeddings
(100 classes x 59, 384-D, unit norm; class centres on the sphere plus Gaussian noise of norm NOISE).
Writes the embeddings as label,e0,... CSV for `vptsp metrics --embeddings OUT --json`, whose nmi/f1 should agree.
Run by hand:  /usr/bin/python3 tools/faiss-kmeans/compare_at_scale.py NOISE SEED [OUT.csv]   (needs python3-faiss, python3-sklearn)
"""
import numpy as np, faiss, sys
OUT = sys.argv[3] if len(sys.argv) > 3 else 'embeddings.csv'
from sklearn.metrics import normalized_mutual_info_score as nmi
rng = np.random.RandomState(int(sys.argv[2]))
classes, per, d = 100, 59, 384
noise = float(sys.argv[1])
c = rng.normal(size=(classes, d)); c /= np.linalg.norm(c, axis=1, keepdims=True)
y = np.arange(classes * per) // per
x = c[y] + rng.normal(size=(classes * per, d)) * noise / np.sqrt(d)
x = (x / np.linalg.norm(x, axis=1, keepdims=True)).astype(np.float32)
with open(OUT, 'w') as f:
    for yi, row in zip(y, x):
        f.write(str(yi) + ',' + ','.join('%.9g' % v for v in row) + '\n')
x = np.loadtxt(OUT, delimiter=',', dtype=np.float64)[:, 1:].astype(np.float32)
clus = faiss.Clustering(d, classes); clus.niter = 20; clus.min_points_per_centroid = 1; clus.max_points_per_centroid = 1000000000
idx = faiss.IndexFlatL2(d); clus.train(x, idx)
cent = faiss.vector_float_to_array(clus.centroids).reshape(classes, d)
s = faiss.IndexFlatL2(d); s.add(cent); _, lab = s.search(x, 1); lab = lab.reshape(-1)
def pairs(v): return v * (v - 1) / 2
from collections import Counter
tp = sum(pairs(v) for v in Counter(zip(y, lab)).values()); sc = sum(pairs(v) for v in Counter(y).values()); sk = sum(pairs(v) for v in Counter(lab).values())
print('faiss', faiss.__version__, 'noise', noise, 'nmi %.10f f1 %.10f' % (nmi(y, lab), 2 * tp / (sc + sk)))
