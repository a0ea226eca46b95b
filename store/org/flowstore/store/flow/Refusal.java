package org.flowstore.store.flow;

import org.flowstore.api.DeviceId;
import org.flowstore.api.store.FlowRuleStoreException;
import org.flowstore.serializers.protocol.Reply;

/**
 * A device's master declining a request, with the {@link Reply.Status} that says what the issuer
 * does next: the same exception on the master (thrown by the operation, answered as that status)
 * and on the issuer (the cause of the {@link FlowRuleStoreException.RemoteFailure} its caller
 * sees). A {@link Reply.Status#NOT_MASTER} refusal is asked again by {@link MasterRouter}.
 */
final class Refusal extends FlowRuleStoreException {

    private static final long serialVersionUID = 1L;

    private final Reply.Status status;

    private Refusal(DeviceId deviceId, Reply.Status status, String reason) {
        super(deviceId, reason, null);
        if (status == Reply.Status.OK) {
            throw new IllegalArgumentException("an answer is not a refusal");
        }
        this.status = status;
    }

    /** This node is not (or may no longer act as) the device's master. */
    static Refusal notMaster(DeviceId deviceId, String detail) {
        return of(deviceId, Reply.notMaster(detail));
    }

    /** The master declines the request itself: asking again fails again until the cluster changes. */
    static Refusal refused(DeviceId deviceId, String reason) {
        return new Refusal(deviceId, Reply.Status.REFUSED, reason);
    }

    /** The master took the request and could not carry it out (say, too few standbys confirmed it). */
    static Refusal failed(DeviceId deviceId, String reason) {
        return new Refusal(deviceId, Reply.Status.FAILED, reason);
    }

    /** The master has no room for the batch (it or a standby is at its memory bound): nothing was applied. */
    static Refusal overloaded(DeviceId deviceId, String reason) {
        return new Refusal(deviceId, Reply.Status.OVERLOADED, reason);
    }

    /** The refusal a non-OK reply carries. */
    static Refusal of(DeviceId deviceId, Reply reply) {
        return new Refusal(deviceId, reply.status(), reply.error());
    }

    Reply.Status status() {
        return status;
    }

    Reply toReply() {
        return new Reply(status, null, getMessage());
    }

    /** Returns true when a failure, as a future saw it, is a "not the master" refusal here or on a remote master. */
    static boolean isNotMaster(Throwable failure) {
        return is(failure, Reply.Status.NOT_MASTER);
    }

    /** Returns true when a failure, as a future saw it, is a refusal for room here or on a remote master. */
    static boolean isOverloaded(Throwable failure) {
        return is(failure, Reply.Status.OVERLOADED);
    }

    private static boolean is(Throwable failure, Reply.Status status) {
        Throwable e = Causes.of(failure);
        if (e instanceof FlowRuleStoreException.RemoteFailure && e.getCause() != null) {
            e = e.getCause();
        }
        return e instanceof Refusal r && r.status == status;
    }
}
