package org.flowstore.api;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

/**
 * An optical channel data unit (ODU) signal: which tributary port it uses and, as a bitmap,
 * which of that port's tributary slots, as ONOS describes it.
 *
 * @param tributaryPortNumber the tributary port, 0 to 4095
 * @param tributarySlotLength the bitmap's length in bits, 1 to 80
 * @param tributarySlotBitmap the slots used, one bit each, in {@code ceil(length / 8)} bytes
 */
public record OduSignalId(int tributaryPortNumber, int tributarySlotLength, ByteString tributarySlotBitmap) {

    /** Checks the port and that the bitmap holds the slots its length says. */
    public OduSignalId {
        checkArgument(tributaryPortNumber >= 0 && tributaryPortNumber <= 4095,
                "tributaryPortNumber must be 0..4095, was %s", tributaryPortNumber);
        checkArgument(tributarySlotLength >= 1 && tributarySlotLength <= 80,
                "tributarySlotLength must be 1..80, was %s", tributarySlotLength);
        requireNonNull(tributarySlotBitmap, "tributarySlotBitmap");
        checkArgument(tributarySlotBitmap.size() == (tributarySlotLength + 7) / 8,
                "a tributarySlotBitmap of %s slots has %s bytes, was %s", tributarySlotLength,
                (tributarySlotLength + 7) / 8, tributarySlotBitmap.size());
    }

    @Override
    public String toString() {
        return tributaryPortNumber + "/" + tributarySlotLength + "/" + tributarySlotBitmap;
    }
}
