package org.flowstore.app.openflow;

import static org.easymock.EasyMock.anyObject;
import static org.easymock.EasyMock.createMock;
import static org.easymock.EasyMock.createNiceMock;
import static org.easymock.EasyMock.expect;
import static org.easymock.EasyMock.expectLastCall;
import static org.easymock.EasyMock.replay;
import static org.easymock.EasyMock.verify;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.projectfloodlight.openflow.protocol.OFControllerRole;
import org.projectfloodlight.openflow.protocol.OFFactories;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.protocol.OFRoleRequest;
import org.projectfloodlight.openflow.protocol.OFType;
import org.projectfloodlight.openflow.types.DatapathId;

import org.flowstore.api.DeviceId;
import org.flowstore.api.NodeId;
import org.flowstore.api.cluster.ClusterService;
import org.flowstore.api.cluster.DeviceProviderService;
import org.flowstore.api.cluster.MastershipInfo;
import org.flowstore.api.cluster.MastershipService;
import org.flowstore.api.cluster.ReplicaInfoService;
import org.flowstore.api.flow.FlowRuleProviderService;
import org.flowstore.api.flow.FlowRuleService;

/**
 * The provider's life with one switch, the switch played over a socket: the handshake registers
 * datapath 0x2a as {@code of:000000000000002a}, the node asks for the role its mastership gives it
 * with the term as generation id, a message openflowj cannot parse leaves the connection open, and
 * deactivating the component withdraws the switch and closes its connection.
 */
@Timeout(30)
class OpenFlowProviderTest {

    private static final NodeId LOCAL = NodeId.nodeId("n1");
    private static final DeviceId SWITCH = DeviceId.deviceId("of:000000000000002a");

    @Test
    void aSwitchIsRegisteredGivenItsRoleAndWithdrawnWhenTheComponentStops() throws Exception {
        CountDownLatch connected = new CountDownLatch(1);
        CountDownLatch withdrawn = new CountDownLatch(1);
        DeviceProviderService inventory = createMock(DeviceProviderService.class);
        expect(inventory.deviceConnected(SWITCH)).andAnswer(() -> {
            connected.countDown();
            return CompletableFuture.completedFuture(null);
        });
        expect(inventory.deviceDisconnected(SWITCH)).andAnswer(() -> {
            withdrawn.countDown();
            return CompletableFuture.completedFuture(null);
        });
        MastershipService mastership = createNiceMock(MastershipService.class);
        expect(mastership.getMastershipFor(SWITCH)).andReturn(MastershipInfo.of(7, LOCAL, List.of())).anyTimes();
        ReplicaInfoService replicaInfo = createNiceMock(ReplicaInfoService.class);
        replicaInfo.addListener(anyObject());
        expectLastCall().once();
        ClusterService cluster = createNiceMock(ClusterService.class);
        expect(cluster.getLocalNode()).andReturn(LOCAL).anyTimes();
        replay(inventory, mastership, replicaInfo, cluster);

        OpenFlowProvider provider = new OpenFlowProvider(createNiceMock(FlowRuleProviderService.class),
                createNiceMock(FlowRuleService.class), inventory, mastership, replicaInfo, cluster,
                Map.of(OpenFlowConfig.PORT, 0, OpenFlowConfig.ADDRESS, "127.0.0.1"));
        provider.activate();
        try (Socket socket = new Socket("127.0.0.1", provider.port())) {
            DataInputStream in = new DataInputStream(socket.getInputStream());
            OutputStream out = socket.getOutputStream();
            assertEquals(OFType.HELLO, read(in).getType());
            write(out, SwitchConnection.OF13.buildHello().setXid(1).build());
            OFMessage features = read(in);
            assertEquals(OFType.FEATURES_REQUEST, features.getType());
            write(out, SwitchConnection.OF13.buildFeaturesReply().setXid(features.getXid())
                    .setDatapathId(DatapathId.of(0x2a)).build());
            assertTrue(connected.await(10, TimeUnit.SECONDS), "registered with the inventory");

            OFRoleRequest role = (OFRoleRequest) read(in);
            assertEquals(OFControllerRole.ROLE_MASTER, role.getRole());
            assertEquals(7, role.getGenerationId().getValue(), "the mastership term is the generation id");
            // Open vSwitch's role-status experimenter message, which openflowj cannot parse: skipped.
            ByteBuf unknown = Unpooled.buffer().writeByte(4).writeByte(4).writeShort(24).writeInt(99)
                    .writeInt(0x4F4E4600).writeInt(1923).writeLong(1L);
            out.write(unknown.array(), 0, unknown.readableBytes());
            write(out, SwitchConnection.OF13.buildRoleReply().setXid(role.getXid()).setRole(OFControllerRole.ROLE_MASTER)
                    .setGenerationId(role.getGenerationId()).build());
            write(out, SwitchConnection.OF13.buildEchoRequest().setXid(77).setData(new byte[0]).build());
            OFMessage echo = read(in);
            assertEquals(OFType.ECHO_REPLY, echo.getType(), "the connection is still up");
            assertEquals(77, echo.getXid());
            assertEquals(List.of(SWITCH), provider.devices());

            provider.deactivate();
            assertTrue(withdrawn.await(10, TimeUnit.SECONDS), "withdrawn from the inventory");
            assertEquals(-1, in.read(), "the connection is closed");
        } finally {
            provider.stop();
        }
        verify(inventory);
    }

    private static OFMessage read(DataInputStream in) throws Exception {
        byte[] header = new byte[OpenFlowCodec.HEADER_LENGTH];
        in.readFully(header);
        int length = ((header[2] & 0xFF) << 8) | (header[3] & 0xFF);
        byte[] message = new byte[length];
        System.arraycopy(header, 0, message, 0, header.length);
        in.readFully(message, header.length, length - header.length);
        return OFFactories.getGenericReader().readFrom(Unpooled.wrappedBuffer(message));
    }

    private static void write(OutputStream out, OFMessage message) throws IOException {
        ByteBuf buf = Unpooled.buffer();
        message.writeTo(buf);
        out.write(buf.array(), buf.arrayOffset(), buf.readableBytes());
        out.flush();
    }
}
