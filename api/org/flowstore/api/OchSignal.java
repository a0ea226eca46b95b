package org.flowstore.api;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

/**
 * An optical channel (OCh) signal: a lambda on a fixed or flexible grid, as ONOS describes it.
 *
 * @param gridType the grid
 * @param channelSpacing the spacing of the grid's channels
 * @param spacingMultiplier the channel's offset from the grid's anchor frequency, in spacings
 * @param slotGranularity the channel's width in slots of 12.5 GHz (flex grid), at least 1
 */
public record OchSignal(GridType gridType, ChannelSpacing channelSpacing, int spacingMultiplier, int slotGranularity) {

    /** A grid of optical channels. Written on the wire by position: append only. */
    public enum GridType {
        /** Dense wavelength division multiplexing. */
        DWDM,
        /** Coarse wavelength division multiplexing. */
        CWDM,
        /** Flexible grid. */
        FLEX,
        /** Not known. */
        UNKNOWN
    }

    /** The spacing of a grid's channels. Written on the wire by position: append only. */
    public enum ChannelSpacing {
        /** 100 GHz. */
        CHL_100GHZ,
        /** 50 GHz. */
        CHL_50GHZ,
        /** 25 GHz. */
        CHL_25GHZ,
        /** 12.5 GHz. */
        CHL_12P5GHZ,
        /** 6.25 GHz. */
        CHL_6P25GHZ,
        /** Not known. */
        CHL_0GHZ
    }

    /** Checks the parts. */
    public OchSignal {
        requireNonNull(gridType, "gridType");
        requireNonNull(channelSpacing, "channelSpacing");
        checkArgument(slotGranularity >= 1, "slotGranularity must be at least 1, was %s", slotGranularity);
    }

    @Override
    public String toString() {
        return gridType + "/" + channelSpacing + "/" + spacingMultiplier + "/" + slotGranularity;
    }
}
