/* The peer helpers (conformance/net/peer.h) compiled into the http suite. */
#include "conformance/net/peer_impl.h"
