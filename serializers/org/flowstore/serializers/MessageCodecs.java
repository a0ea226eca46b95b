package org.flowstore.serializers;

import static org.flowstore.serializers.ModelCodecs.UPDATE_MIN_BYTES;
import static org.flowstore.serializers.ModelCodecs.readEntry;
import static org.flowstore.serializers.ModelCodecs.readOptionalValues;
import static org.flowstore.serializers.ModelCodecs.readUpdate;
import static org.flowstore.serializers.ModelCodecs.readValues;
import static org.flowstore.serializers.ModelCodecs.readVersion;
import static org.flowstore.serializers.ModelCodecs.writeEntry;
import static org.flowstore.serializers.ModelCodecs.writeOptionalValues;
import static org.flowstore.serializers.ModelCodecs.writeUpdate;
import static org.flowstore.serializers.ModelCodecs.writeValues;
import static org.flowstore.serializers.ModelCodecs.writeVersion;
import static org.flowstore.serializers.WireFormat.readEnum;
import static org.flowstore.serializers.WireFormat.readLength;
import static org.flowstore.serializers.WireFormat.readString;
import static org.flowstore.serializers.WireFormat.writeEnum;
import static org.flowstore.serializers.WireFormat.writeString;

import java.util.ArrayList;
import java.util.List;

import org.flowstore.api.ApplicationId;
import org.flowstore.api.DeviceId;
import org.flowstore.api.flow.CompletedBatchOperation;
import org.flowstore.api.flow.FlowEntry;
import org.flowstore.api.flow.FlowEntryState;
import org.flowstore.api.flow.FlowId;
import org.flowstore.api.flow.TableStatisticsEntry;
import org.flowstore.serializers.protocol.BackupAck;
import org.flowstore.serializers.protocol.BackupDelta;
import org.flowstore.serializers.protocol.BatchCompletion;
import org.flowstore.serializers.protocol.BucketRepair;
import org.flowstore.serializers.protocol.CountQuery;
import org.flowstore.serializers.protocol.DigestCheck;
import org.flowstore.serializers.protocol.DigestResult;
import org.flowstore.serializers.protocol.EntryQuery;
import org.flowstore.serializers.protocol.PurgeRequest;
import org.flowstore.serializers.protocol.Reply;
import org.flowstore.serializers.protocol.SnapshotChunk;
import org.flowstore.serializers.protocol.SnapshotRequest;
import org.flowstore.serializers.protocol.TableStatisticsUpdate;
import org.flowstore.serializers.protocol.TableVersion;
import org.flowstore.serializers.protocol.TotalCountQuery;
import org.flowstore.serializers.protocol.ValueList;
import org.flowstore.serializers.protocol.VersionQuery;

/** How the store's messages travel (see {@link org.flowstore.serializers.protocol}); their ids are {@link FlowStoreNamespace}'s. */
final class MessageCodecs {

    private MessageCodecs() {
    }

    // store messages: 200-299
    static final Codec<Reply> REPLY = new Codec<>(
            (k, o, v) -> {
                writeEnum(o, v.status());
                k.writeClassAndObject(o, v.value());
                writeString(o, v.error());
            },
            (k, i) -> new Reply(readEnum(i, Reply.Status.values()), k.readClassAndObject(i), readString(i)));
    static final Codec<EntryQuery> ENTRY_QUERY = new Codec<>(
            (k, o, v) -> {
                writeString(o, v.deviceId().uri());
                o.writeLong(v.flowId());
            },
            (k, i) -> new EntryQuery(DeviceId.deviceId(readString(i)), i.readLong()));
    static final Codec<CountQuery> COUNT_QUERY = new Codec<>(
            (k, o, v) -> {
                writeString(o, v.deviceId().uri());
                k.writeObjectOrNull(o, v.state(), FlowEntryState.class);
            },
            (k, i) -> new CountQuery(DeviceId.deviceId(readString(i)), k.readObjectOrNull(i, FlowEntryState.class)));
    static final Codec<TotalCountQuery> TOTAL_COUNT_QUERY = new Codec<>(
            (k, o, v) -> {
                o.writeVarInt(v.deviceIds().size(), true);
                v.deviceIds().forEach(d -> writeString(o, d.uri()));
            },
            (k, i) -> {
                int n = readLength(i, 1);
                List<DeviceId> ids = new ArrayList<>(n);
                for (int j = 0; j < n; j++) {
                    ids.add(DeviceId.deviceId(readString(i)));
                }
                return new TotalCountQuery(ids);
            });
    static final Codec<PurgeRequest> PURGE_REQUEST = new Codec<>(
            (k, o, v) -> {
                writeString(o, v.deviceId().uri());
                k.writeObjectOrNull(o, v.appId(), ApplicationId.class);
            },
            (k, i) -> new PurgeRequest(DeviceId.deviceId(readString(i)), k.readObjectOrNull(i, ApplicationId.class)));
    static final Codec<TableStatisticsUpdate> TABLE_STATISTICS_UPDATE = new Codec<>(
            (k, o, v) -> {
                writeString(o, v.deviceId().uri());
                writeValues(k, o, v.statistics());
            },
            (k, i) -> new TableStatisticsUpdate(DeviceId.deviceId(readString(i)),
                    readValues(k, i, TableStatisticsEntry.class)));
    static final Codec<ValueList> VALUE_LIST = new Codec<>(
            (k, o, v) -> writeValues(k, o, v.values()),
            (k, i) -> new ValueList(readValues(k, i, Object.class)));
    static final Codec<TableVersion> TABLE_VERSION = new Codec<>(
            (k, o, v) -> writeVersion(o, v),
            (k, i) -> readVersion(i));
    static final Codec<BackupDelta> BACKUP_DELTA = new Codec<>(
            (k, o, v) -> {
                writeString(o, v.deviceId().uri());
                o.writeVarLong(v.term(), true);
                writeVersion(o, v.from());
                writeVersion(o, v.to());
                o.writeVarInt(v.upserts().size(), true);
                v.upserts().forEach(e -> writeEntry(k, o, e));
                o.writeVarInt(v.updates().size(), true);
                v.updates().forEach(u -> writeUpdate(o, u));
                o.writeVarInt(v.removals().size(), true);
                v.removals().forEach(id -> o.writeLong(id.value()));
                writeOptionalValues(k, o, v.statistics());
            },
            (k, i) -> {
                DeviceId deviceId = DeviceId.deviceId(readString(i));
                long term = i.readVarLong(true);
                TableVersion from = readVersion(i);
                TableVersion to = readVersion(i);
                int n = readLength(i, 8);
                BackupDelta.Builder delta = BackupDelta.builder();
                for (int j = 0; j < n; j++) {
                    delta.upsert(readEntry(k, i));
                }
                int u = readLength(i, UPDATE_MIN_BYTES);
                for (int j = 0; j < u; j++) {
                    delta.update(readUpdate(i));
                }
                int m = readLength(i, Long.BYTES);
                for (int j = 0; j < m; j++) {
                    delta.remove(FlowId.valueOf(i.readLong()));
                }
                return delta.build(deviceId, term, from, to, readOptionalValues(k, i, TableStatisticsEntry.class));
            });
    static final Codec<BackupAck> BACKUP_ACK = new Codec<>(
            (k, o, v) -> {
                o.writeBoolean(v.held());
                writeVersion(o, v.version());
                writeString(o, v.reason());
                o.writeVarLong(v.heldFlows(), true);
                o.writeVarLong(v.maxFlows(), true);
            },
            (k, i) -> new BackupAck(i.readBoolean(), readVersion(i), readString(i), i.readVarLong(true),
                    i.readVarLong(true)));
    static final Codec<SnapshotChunk> SNAPSHOT_CHUNK = new Codec<>(
            (k, o, v) -> {
                writeString(o, v.deviceId().uri());
                o.writeVarLong(v.term(), true);
                o.writeLong(v.snapshotId());
                writeVersion(o, v.version());
                o.writeVarInt(v.index(), true);
                o.writeBoolean(v.last());
                o.writeVarInt(v.entries().size(), true);
                v.entries().forEach(e -> writeEntry(k, o, e));
                writeOptionalValues(k, o, v.statistics());
            },
            (k, i) -> {
                DeviceId deviceId = DeviceId.deviceId(readString(i));
                long term = i.readVarLong(true);
                long snapshotId = i.readLong();
                TableVersion version = readVersion(i);
                int index = i.readVarInt(true);
                boolean last = i.readBoolean();
                int n = readLength(i, 8);
                List<FlowEntry> entries = new ArrayList<>(n);
                for (int j = 0; j < n; j++) {
                    entries.add(readEntry(k, i));
                }
                return new SnapshotChunk(deviceId, term, snapshotId, version, index, last, entries,
                        readOptionalValues(k, i, TableStatisticsEntry.class));
            });
    static final Codec<SnapshotRequest> SNAPSHOT_REQUEST = new Codec<>(
            (k, o, v) -> {
                writeString(o, v.deviceId().uri());
                o.writeVarLong(v.term(), true);
            },
            (k, i) -> new SnapshotRequest(DeviceId.deviceId(readString(i)), i.readVarLong(true)));
    static final Codec<DigestCheck> DIGEST_CHECK = new Codec<>(
            (k, o, v) -> {
                writeString(o, v.deviceId().uri());
                o.writeVarLong(v.term(), true);
                writeVersion(o, v.version());
                o.writeVarInt(v.digests().length, true);
                o.writeLongs(v.digests(), 0, v.digests().length);
            },
            (k, i) -> {
                DeviceId deviceId = DeviceId.deviceId(readString(i));
                long term = i.readVarLong(true);
                TableVersion version = readVersion(i);
                return new DigestCheck(deviceId, term, version, i.readLongs(readLength(i, 8)));
            });
    static final Codec<DigestResult> DIGEST_RESULT = new Codec<>(
            (k, o, v) -> {
                writeVersion(o, v.version());
                o.writeVarInt(v.differing().size(), true);
                v.differing().forEach(b -> o.writeVarInt(b, true));
            },
            (k, i) -> {
                TableVersion version = readVersion(i);
                int n = readLength(i, 1);
                List<Integer> differing = new ArrayList<>(n);
                for (int j = 0; j < n; j++) {
                    differing.add(i.readVarInt(true));
                }
                return new DigestResult(version, differing);
            });
    static final Codec<BucketRepair> BUCKET_REPAIR = new Codec<>(
            (k, o, v) -> {
                writeString(o, v.deviceId().uri());
                o.writeVarLong(v.term(), true);
                writeVersion(o, v.version());
                o.writeVarInt(v.buckets().size(), true);
                v.buckets().forEach(b -> o.writeVarInt(b, true));
                o.writeVarInt(v.entries().size(), true);
                v.entries().forEach(e -> writeEntry(k, o, e));
            },
            (k, i) -> {
                DeviceId deviceId = DeviceId.deviceId(readString(i));
                long term = i.readVarLong(true);
                TableVersion version = readVersion(i);
                int n = readLength(i, 1);
                List<Integer> buckets = new ArrayList<>(n);
                for (int j = 0; j < n; j++) {
                    buckets.add(i.readVarInt(true));
                }
                int m = readLength(i, 8);
                List<FlowEntry> entries = new ArrayList<>(m);
                for (int j = 0; j < m; j++) {
                    entries.add(readEntry(k, i));
                }
                return new BucketRepair(deviceId, term, version, buckets, entries);
            });
    static final Codec<VersionQuery> VERSION_QUERY = new Codec<>(
            (k, o, v) -> {
                writeString(o, v.deviceId().uri());
                o.writeVarLong(v.term(), true);
            },
            (k, i) -> new VersionQuery(DeviceId.deviceId(readString(i)), i.readVarLong(true)));
    static final Codec<BatchCompletion> BATCH_COMPLETION = new Codec<>(
            (k, o, v) -> {
                o.writeLong(v.batchId());
                k.writeObject(o, v.result());
            },
            (k, i) -> new BatchCompletion(i.readLong(), k.readObject(i, CompletedBatchOperation.class)));
}
