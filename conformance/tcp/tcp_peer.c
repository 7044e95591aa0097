/* The peer helpers (conformance/net/peer.h) compiled into the tcp suite. */
#include "conformance/net/peer_impl.h"
