package org.flowstore.store.flow;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

import org.flowstore.api.ApplicationId;
import org.flowstore.api.DeviceId;
import org.flowstore.api.NodeId;
import org.flowstore.api.cluster.DeviceService;
import org.flowstore.api.cluster.MessageSubject;
import org.flowstore.api.cluster.MastershipService;
import org.flowstore.api.flow.FlowEntry;
import org.flowstore.api.flow.FlowEntryState;
import org.flowstore.api.flow.FlowId;
import org.flowstore.api.flow.FlowRule;
import org.flowstore.api.flow.FlowRuleEvent;
import org.flowstore.api.flow.TableStatisticsEntry;
import org.flowstore.api.store.FlowRuleStoreException;
import org.flowstore.serializers.protocol.CountQuery;
import org.flowstore.serializers.protocol.EntryQuery;
import org.flowstore.serializers.protocol.PurgeRequest;
import org.flowstore.serializers.protocol.Reply;
import org.flowstore.serializers.protocol.TableStatisticsUpdate;
import org.flowstore.serializers.protocol.TotalCountQuery;
import org.flowstore.serializers.protocol.ValueList;

/**
 * Every read and every single-entry update of a device's table, each declared once as a
 * {@link MasterRouter.Route} that runs on the device's master once its table is taken over in
 * the current term (see {@link TermSync#activeTable}): a new master never answers from a copy
 * that is behind. Batches are the {@link BatchCoordinator}'s.
 *
 * <p>Threads: calls block the caller's thread, at most the router's deadline.
 */
final class TableRoutes {

    private final MasterRouter router;
    private final TermSync termSync;
    private final FlowTables tables;
    private final MastershipService mastership;
    private final DeviceService devices;
    private final Clock clock;
    private final NodeId localNode;

    private final MasterRouter.Route<FlowRule, FlowEntry> entryGet;
    private final MasterRouter.Route<EntryQuery, FlowEntry> entryGetById;
    private final MasterRouter.Route<DeviceId, ValueList> entriesGet;
    private final MasterRouter.Route<CountQuery, Integer> countGet;
    private final MasterRouter.Route<DeviceId, ValueList> countsGet;
    private final MasterRouter.Route<FlowEntry, FlowRuleEvent> entryReport;
    private final MasterRouter.Route<FlowEntry, FlowRuleEvent> entryRemove;
    private final MasterRouter.Route<FlowEntry, FlowRuleEvent> entryPending;
    private final MasterRouter.Route<PurgeRequest, Integer> entriesPurge;
    private final MasterRouter.Route<TableStatisticsUpdate, Boolean> tableStatsUpdate;
    private final MasterRouter.Route<DeviceId, ValueList> tableStatsGet;

    /** Declares the routes and starts serving them for other nodes. */
    TableRoutes(MasterRouter router, TermSync termSync, FlowTables tables, MastershipService mastership,
                DeviceService devices, Clock clock) {
        this.router = router;
        this.termSync = termSync;
        this.tables = tables;
        this.mastership = mastership;
        this.devices = devices;
        this.clock = clock;
        this.localNode = router.localNode();
        entryGet = on(FlowStoreSubjects.ENTRY_GET, FlowRule.class, FlowEntry.class, FlowRule::deviceId,
                (t, rule) -> t.get(rule));
        entryGetById = on(FlowStoreSubjects.ENTRY_GET_BY_ID, EntryQuery.class, FlowEntry.class, EntryQuery::deviceId,
                (t, q) -> t.get(FlowId.valueOf(q.flowId())));
        entriesGet = on(FlowStoreSubjects.ENTRIES_GET, DeviceId.class, ValueList.class, d -> d,
                (t, d) -> new ValueList(t.entries()));
        countGet = on(FlowStoreSubjects.COUNT_GET, CountQuery.class, Integer.class, CountQuery::deviceId,
                (t, q) -> q.state() == null ? t.count() : t.count(q.state()));
        countsGet = on(FlowStoreSubjects.COUNTS_GET, DeviceId.class, ValueList.class, d -> d,
                (t, d) -> new ValueList(t.countsByState()));
        entryReport = on(FlowStoreSubjects.ENTRY_REPORT, FlowEntry.class, FlowRuleEvent.class, FlowEntry::deviceId,
                (t, e) -> t.report(e, clock.millis()));
        entryRemove = on(FlowStoreSubjects.ENTRY_REMOVE, FlowEntry.class, FlowRuleEvent.class, FlowEntry::deviceId,
                DeviceFlowTable::remove);
        entryPending = on(FlowStoreSubjects.ENTRY_PENDING, FlowEntry.class, FlowRuleEvent.class, FlowEntry::deviceId,
                DeviceFlowTable::pending);
        entriesPurge = on(FlowStoreSubjects.ENTRIES_PURGE, PurgeRequest.class, Integer.class, PurgeRequest::deviceId,
                (t, q) -> q.appId() == null ? t.purge() : t.purge(q.appId()));
        tableStatsUpdate = on(FlowStoreSubjects.TABLE_STATS_UPDATE, TableStatisticsUpdate.class, Boolean.class,
                TableStatisticsUpdate::deviceId, (t, u) -> {
                    t.setTableStatistics(u.statistics());
                    return Boolean.TRUE;
                });
        tableStatsGet = on(FlowStoreSubjects.TABLE_STATS_GET, DeviceId.class, ValueList.class, d -> d,
                (t, d) -> new ValueList(t.tableStatistics()));
        router.serveAsync(FlowStoreSubjects.TOTAL_COUNT_GET, TotalCountQuery.class,
                (sender, q) -> countHere(q).thenApply(Reply::of));
    }

    /** An operation on a device's table as master. */
    @FunctionalInterface
    private interface TableOperation<Q, R> {
        R apply(DeviceFlowTable table, Q request);
    }

    private <Q, R> MasterRouter.Route<Q, R> on(MessageSubject subject, Class<Q> type,
                                               Class<R> resultType, Function<Q, DeviceId> deviceOf,
                                               TableOperation<Q, R> operation) {
        return router.route(subject, type, resultType, deviceOf, (issuer, request) ->
                termSync.onActiveTable(deviceOf.apply(request), table -> operation.apply(table, request)));
    }

    FlowEntry entry(FlowRule rule) {
        return entryGet.call(requireNonNull(rule, "rule"));
    }

    FlowEntry entry(DeviceId deviceId, FlowId flowId) {
        return entryGetById.call(new EntryQuery(requireNonNull(deviceId, "deviceId"), flowId.value()));
    }

    List<FlowEntry> entries(DeviceId deviceId) {
        return entriesGet.call(requireNonNull(deviceId, "deviceId")).values(FlowEntry.class);
    }

    int count(DeviceId deviceId, FlowEntryState state) {
        return countGet.call(new CountQuery(requireNonNull(deviceId, "deviceId"), state));
    }

    Map<FlowEntryState, Integer> countsByState(DeviceId deviceId) {
        List<Integer> counts = countsGet.call(requireNonNull(deviceId, "deviceId")).values(Integer.class);
        FlowEntryState[] states = FlowEntryState.values();
        if (counts.size() != states.length) {
            throw new FlowRuleStoreException(deviceId, "the master of " + deviceId + " counted " + counts.size()
                    + " entry states, this node knows " + states.length, null);
        }
        Map<FlowEntryState, Integer> byState = new EnumMap<>(FlowEntryState.class);
        for (int i = 0; i < states.length; i++) {
            byState.put(states[i], counts.get(i));
        }
        return byState;
    }

    /** Counts every device's entries: one question per master, not per device. */
    int totalCount() {
        Map<NodeId, List<DeviceId>> byMaster = new HashMap<>();
        for (DeviceId deviceId : devices.getDevices()) {
            mastership.getMastershipFor(deviceId).master()
                    .ifPresent(master -> byMaster.computeIfAbsent(master, n -> new ArrayList<>()).add(deviceId));
        }
        long total = 0;
        for (Map.Entry<NodeId, List<DeviceId>> e : byMaster.entrySet()) {
            TotalCountQuery query = new TotalCountQuery(e.getValue());
            total += router.await(e.getKey().equals(localNode) ? countHere(query)
                    : router.ask(FlowStoreSubjects.TOTAL_COUNT_GET, query, Integer.class, null, e.getKey()),
                    FlowStoreSubjects.TOTAL_COUNT_GET.toString(), null, TermSync.ACTIVATION_WAIT);
        }
        return (int) Math.min(Integer.MAX_VALUE, total);
    }

    Optional<FlowRuleEvent> report(FlowEntry entry) {
        return Optional.ofNullable(entryReport.call(requireNonNull(entry, "entry")));
    }

    Optional<FlowRuleEvent> remove(FlowEntry entry) {
        return Optional.ofNullable(entryRemove.call(requireNonNull(entry, "entry")));
    }

    Optional<FlowRuleEvent> pending(FlowEntry entry) {
        return Optional.ofNullable(entryPending.call(requireNonNull(entry, "entry")));
    }

    /** Purges a device's entries, or one application's when {@code appId} is not null. */
    void purge(DeviceId deviceId, ApplicationId appId) {
        entriesPurge.call(new PurgeRequest(requireNonNull(deviceId, "deviceId"), appId));
    }

    /** Purges every device's entries; this node's copies of devices the cluster forgot go too. */
    void purgeAll() {
        Set<DeviceId> all = new LinkedHashSet<>(devices.getDevices());
        for (DeviceFlowTable table : tables.all()) {
            if (!all.contains(table.deviceId())) {
                table.purge();
            }
        }
        List<String> failures = new ArrayList<>();
        for (DeviceId deviceId : all) {
            try {
                purge(deviceId, null);
            } catch (FlowRuleStoreException e) {
                failures.add(e.getMessage());
            }
        }
        if (!failures.isEmpty()) {
            throw new FlowRuleStoreException(null, "purge left " + failures.size() + " device(s) untouched: "
                    + String.join("; ", failures), null);
        }
    }

    void updateTableStatistics(DeviceId deviceId, List<TableStatisticsEntry> statistics) {
        tableStatsUpdate.call(new TableStatisticsUpdate(deviceId, statistics));
    }

    List<TableStatisticsEntry> tableStatistics(DeviceId deviceId) {
        return tableStatsGet.call(requireNonNull(deviceId, "deviceId")).values(TableStatisticsEntry.class);
    }

    /** Counts the entries of the given devices that this node masters. */
    private CompletableFuture<Integer> countHere(TotalCountQuery query) {
        List<CompletableFuture<Integer>> counts = new ArrayList<>();
        for (DeviceId deviceId : query.deviceIds()) {
            if (router.notMasterReason(deviceId) == null) {
                counts.add(termSync.onActiveTable(deviceId, DeviceFlowTable::count));
            }
        }
        return CompletableFuture.allOf(counts.toArray(new CompletableFuture[0]))
                .thenApply(v -> (int) Math.min(Integer.MAX_VALUE,
                        counts.stream().mapToLong(CompletableFuture::join).sum()));
    }
}
