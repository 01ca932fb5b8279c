#!/usr/bin/env python3
"""Every config key of the authors' code: the keys of the nine YAML configs and the dests of main.py's argument parser.

Run by hand (Debian's /usr/bin/python3 with python3-yaml; the parser's modules need nothing but argparse):

    /usr/bin/python3 tools/reference-parity/list_reference_keys.py --reference /tmp/refdml \
        --out VptSp.Tests.Support/Fixtures/ReferenceKeys/reference_keys.tsv

--reference: a checkout of github:Noahsark/ParameterEfficient-DML at c7c9416. Writes one line per key, sorted:
`key<TAB>where` (where = "parser", "yaml" or "parser+yaml"); ConfigKeyAuditTests requires a status for each.
"""
import argparse
import glob
import os
import sys

import yaml


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--reference", required=True)
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    sys.path.insert(0, os.path.abspath(args.reference))
    import params
    parser = argparse.ArgumentParser()
    # main.py's train(): the same five groups, in its order
    for add in (params.basic_training_parameters, params.scale_optimizing_parameters, params.batch_creation_parameters,
                params.batchmining_specific_parameters, params.loss_specific_parameters):
        parser = add(parser)
    parsed = {a.dest for a in parser._actions if a.dest != "help"}
    from_yaml = set()
    files = sorted(glob.glob(os.path.join(args.reference, "config", "*.yaml")))
    assert len(files) == 9, files
    for path in files:
        with open(path) as f:
            from_yaml.update(yaml.safe_load(f).keys())
    with open(args.out, "w") as f:
        f.write("# key\twhere (made by tools/reference-parity/list_reference_keys.py from the authors' code at c7c9416)\n")
        for key in sorted(parsed | from_yaml):
            where = "parser+yaml" if key in parsed and key in from_yaml else "parser" if key in parsed else "yaml"
            f.write(f"{key}\t{where}\n")
    print(f"{len(parsed | from_yaml)} keys ({len(parsed)} parser, {len(from_yaml)} yaml) -> {args.out}")


if __name__ == "__main__":
    main()
