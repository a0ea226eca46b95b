package org.flowstore.api.store;

import java.time.Duration;

import org.flowstore.api.DeviceId;
import org.flowstore.api.NodeId;

/**
 * Why a store operation could not give an answer. The store never turns these into a default
 * value: a read that times out throws {@link Timeout}, it does not return an empty table.
 */
public class FlowRuleStoreException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient DeviceId deviceId;

    /**
     * Creates an exception about a device.
     *
     * @param deviceId the device, or null when the operation was not about one device
     * @param message what went wrong
     * @param cause the underlying failure, or null
     */
    public FlowRuleStoreException(DeviceId deviceId, String message, Throwable cause) {
        super(message, cause);
        this.deviceId = deviceId;
    }

    /** Returns the device the operation was about, or null. */
    public DeviceId deviceId() {
        return deviceId;
    }

    /** The device has no master: nobody can answer for its table now. */
    public static final class NoMaster extends FlowRuleStoreException {

        private static final long serialVersionUID = 1L;

        /**
         * Creates the exception.
         *
         * @param deviceId the device without master
         */
        public NoMaster(DeviceId deviceId) {
            super(deviceId, "device " + deviceId + " has no master", null);
        }
    }

    /** The device is not known to the cluster. */
    public static final class UnknownDevice extends FlowRuleStoreException {

        private static final long serialVersionUID = 1L;

        /**
         * Creates the exception.
         *
         * @param deviceId the unknown device
         */
        public UnknownDevice(DeviceId deviceId) {
            super(deviceId, "device " + deviceId + " is not known", null);
        }
    }

    /** The device's master did not answer in time. */
    public static final class Timeout extends FlowRuleStoreException {

        private static final long serialVersionUID = 1L;

        /**
         * Creates the exception.
         *
         * @param deviceId the device, or null
         * @param node the node that did not answer
         * @param waited how long the store waited
         */
        public Timeout(DeviceId deviceId, NodeId node, Duration waited) {
            super(deviceId, "node " + node + " did not answer for device " + deviceId + " within "
                    + waited.toMillis() + " ms", null);
        }
    }

    /**
     * A node had no room for the write (too many flows waiting for their masters, or a node at
     * its memory bound): nothing was applied; the message names the node and the bound. Try again
     * later.
     */
    public static final class Overloaded extends FlowRuleStoreException {

        private static final long serialVersionUID = 1L;

        /**
         * Creates the exception.
         *
         * @param deviceId the device written to
         * @param reason why, naming the node and the bound it reached
         */
        public Overloaded(DeviceId deviceId, String reason) {
            super(deviceId, reason, null);
        }
    }

    /** The calling thread was interrupted while waiting; its interrupt flag is set again. */
    public static final class Interrupted extends FlowRuleStoreException {

        private static final long serialVersionUID = 1L;

        /**
         * Creates the exception.
         *
         * @param deviceId the device, or null
         * @param cause the interruption
         */
        public Interrupted(DeviceId deviceId, InterruptedException cause) {
            super(deviceId, "interrupted while waiting for device " + deviceId, cause);
        }
    }

    /** The device's master failed the request or could not be reached. */
    public static final class RemoteFailure extends FlowRuleStoreException {

        private static final long serialVersionUID = 1L;

        /**
         * Creates the exception.
         *
         * @param deviceId the device, or null
         * @param node the node that failed
         * @param cause the failure
         */
        public RemoteFailure(DeviceId deviceId, NodeId node, Throwable cause) {
            super(deviceId, "node " + node + " failed a request for device " + deviceId + ": " + cause, cause);
        }
    }
}
