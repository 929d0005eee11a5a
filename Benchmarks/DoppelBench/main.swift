import Doppel

print("usage: doppel-bench csv FILE")
