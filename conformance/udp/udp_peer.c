/* The peer helpers (conformance/net/peer.h) compiled into the udp suite. */
#include "conformance/net/peer_impl.h"
