import Doppel
print("doppel")
