package org.flowstore.api.flow.instructions;

import static java.util.Objects.requireNonNull;

import com.google.common.hash.PrimitiveSink;

import org.flowstore.api.MacAddress;

/**
 * Set the ARP source hardware address (ARP_SHA).
 *
 * @param mac the new address
 */
public record ModArpEthInstruction(MacAddress mac) implements L3ModificationInstruction {

    /** Checks the address is present. */
    public ModArpEthInstruction {
        requireNonNull(mac, "ARP_SHA mac");
    }

    @Override
    public L3SubType subtype() {
        return L3SubType.ARP_SHA;
    }

    @Override
    public void funnel(PrimitiveSink sink) {
        sink.putInt(type().ordinal()).putInt(L3SubType.ARP_SHA.ordinal()).putLong(mac.toLong());
    }

    @Override
    public String toString() {
        return "ARP_SHA:" + mac;
    }
}
