#!/usr/bin/env python3
"""Sizes of an unstripped binary's symbols, summed by library (docs/performance.md, "Binary size").

    scripts/binary-breakdown.py .build-static/release/vigil

Swift symbols are counted to the module their mangled name starts with ($s<len><Module>…,
$ss… the standard library); C and C++ symbols by their prefixes (BoringSSL's two copies are
prefixed CNIOBoringSSL_ and CCryptoBoringSSL_, ICU's functions end in its version, _76).
"""
import collections, re, subprocess, sys

binary = sys.argv[1]
out = subprocess.run(["nm", "-S", "--defined-only", binary], capture_output=True, text=True, check=True).stdout
sizes = collections.Counter()
total = 0
for line in out.splitlines():
    parts = line.split()
    if len(parts) != 4:
        continue
    size, name = int(parts[1], 16), parts[3]
    total += size
    m = re.match(r"\$s(\d+)([A-Za-z_][A-Za-z0-9_]*)", name)
    if name.startswith("$ss") or name.startswith("$sS"):
        lib = "Swift standard library"
    elif m:
        lib = m.group(2)[: int(m.group(1))]
    elif name.startswith("$s"):
        lib = "Swift (other)"
    elif name.startswith("icudt"):
        lib = "ICU data"
    elif re.search(r"_7\d$", name) or name.startswith("_ZN6icu_7"):
        lib = "ICU code"
    elif name.startswith("CNIOBoringSSL_") or name.startswith("CCryptoBoringSSL_"):
        lib = "BoringSSL (" + name.split("_")[0] + ")"
    elif name.startswith("__CFUniChar"):
        lib = "_FoundationCShims (Unicode tables)"
    elif name.startswith("CF") or name.startswith("_CF"):
        lib = "CoreFoundation"
    elif name.startswith("swift_") or name.startswith("_swift_") or name.startswith("_ZN5swift"):
        lib = "Swift runtime"
    elif "dispatch" in name:
        lib = "libdispatch"
    elif name.startswith("_Z"):
        lib = "other C++"
    else:
        lib = "other C"
    sizes[lib] += size
print(f"{'library':40} {'MB':>7}")
for lib, size in sizes.most_common():
    if size >= 100_000:
        print(f"{lib:40} {size / 1e6:7.2f}")
print(f"{'(in sized symbols)':40} {total / 1e6:7.2f}")
