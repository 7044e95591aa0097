# mk/net.mk — the net module (tcp, udp, http families): native_http_* run on
# libcurl. LIB_DEPS also reaches simplert.pc's Libs.private and every suite,
# fuzz and bench link.
LIB_DEPS += -lcurl
