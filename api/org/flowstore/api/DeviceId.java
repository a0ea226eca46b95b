package org.flowstore.api;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

import com.google.common.collect.Interner;
import com.google.common.collect.Interners;

/**
 * Identity of a network device as a URI, for example {@code of:0000000000000001}.
 *
 * <p>Instances are interned: every device id with the same text is the same object, so the
 * millions of flow rules that name a device share one id. Equality is by text.
 */
public final class DeviceId implements Comparable<DeviceId> {

    /** Longest accepted device id, in characters. */
    public static final int MAX_LENGTH = 255;

    private static final Interner<DeviceId> INTERNER = Interners.newWeakInterner();

    private final String uri;

    private DeviceId(String uri) {
        this.uri = uri;
    }

    /**
     * Returns the device id of a URI string.
     *
     * @param uri scheme, colon and scheme-specific part, e.g. {@code of:0000000000000001}
     * @return the (interned) device id
     * @throws IllegalArgumentException if the text is not a URI of the form {@code scheme:id}
     */
    public static DeviceId deviceId(String uri) {
        requireNonNull(uri, "device id");
        checkArgument(!uri.isEmpty() && uri.length() <= MAX_LENGTH,
                "device id must have 1 to %s characters: '%s'", MAX_LENGTH, uri);
        int colon = uri.indexOf(':');
        checkArgument(colon > 0 && colon < uri.length() - 1,
                "device id must look like scheme:id (e.g. of:0000000000000001): '%s'", uri);
        for (int i = 0; i < uri.length(); i++) {
            char c = uri.charAt(i);
            checkArgument(c > ' ' && c < 0x7f, "device id has a blank or non-ASCII character: '%s'", uri);
        }
        return INTERNER.intern(new DeviceId(uri));
    }

    /** Returns the URI text of this id. */
    public String uri() {
        return uri;
    }

    /**
     * Returns the scheme of this id: what kind of device it is and which provider programs it.
     *
     * @return the text before the first colon, e.g. {@code of} for {@code of:0000000000000001}
     */
    public String scheme() {
        return uri.substring(0, uri.indexOf(':'));
    }

    @Override
    public int compareTo(DeviceId other) {
        return uri.compareTo(other.uri);
    }

    @Override
    public boolean equals(Object o) {
        return this == o || (o instanceof DeviceId other && uri.equals(other.uri));
    }

    @Override
    public int hashCode() {
        return uri.hashCode();
    }

    @Override
    public String toString() {
        return uri;
    }
}
