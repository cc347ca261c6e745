package io.mediastore.tokens;

import java.net.InetAddress;

/**
 * What the verifier knows about the client making a request, for tokens with {@link Bindings}.
 * Any field may be null when unknown; a token bound to a field that is unknown is refused.
 *
 * @param address   the client's IP address (as seen by the trusted proxy in front, if any)
 * @param sessionId the client's session id
 * @param audience  who is verifying (for example the name of the edge node or service)
 */
public record ClientContext(InetAddress address, String sessionId, String audience) {
    private static final ClientContext NONE = new ClientContext(null, null, null);

    /** Nothing known about the client. */
    public static ClientContext none() {
        return NONE;
    }

    public static ClientContext of(InetAddress address) {
        return new ClientContext(address, null, null);
    }

    public ClientContext withAddress(InetAddress newAddress) {
        return new ClientContext(newAddress, sessionId, audience);
    }

    public ClientContext withSessionId(String newSessionId) {
        return new ClientContext(address, newSessionId, audience);
    }

    public ClientContext withAudience(String newAudience) {
        return new ClientContext(address, sessionId, newAudience);
    }

    @Override
    public String toString() {
        // a session id is a bearer credential: never print it
        return "ClientContext[address=" + (address == null ? null : address.getHostAddress())
                + ", session=" + (sessionId == null ? "none" : "set") + ", audience=" + audience + "]";
    }
}
