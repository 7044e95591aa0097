# fuzz/fuzz.mk — filled in below
