package io.dvmm.sdk.proxmox.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dvmm.sdk.ConflictException;
import io.dvmm.sdk.DiskInfo;
import io.dvmm.sdk.ErrorContext;
import io.dvmm.sdk.InvalidSpecException;
import io.dvmm.sdk.NotFoundException;
import io.dvmm.sdk.PowerState;
import io.dvmm.sdk.Snapshot;
import io.dvmm.sdk.UnavailableException;
import io.dvmm.sdk.VmInfo;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Parsing of what PVE really sends: numbers as strings, 0/1 booleans, unknown fields, missing keys. */
class ProxmoxMapperTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ErrorContext CTX = ErrorContext.of("proxmox", "test");

    private static JsonNode json(String s) throws Exception {
        return JSON.readTree(s.replace('\'', '"'));
    }

    @Test
    void numbersAndBooleansMayComeAsStrings() throws Exception {
        JsonNode r = json("{'vmid':'101','name':'web','status':'running','maxcpu':'4','maxmem':'2147483648',"
                + "'template':'0','node':'pve2','tags':'owner+ops','someNewField':{'x':1}}");
        VmInfo vm = ProxmoxMapper.fromResource(r);
        assertThat(vm.id().value()).isEqualTo("101");
        assertThat(vm.cpuCount()).isEqualTo(4);
        assertThat(vm.memoryMiB()).isEqualTo(2048);
        assertThat(vm.host()).isEqualTo("pve2");
        assertThat(vm.powerState()).isEqualTo(PowerState.POWERED_ON);
        assertThat(vm.metadata()).containsEntry("owner", "ops");
        assertThat(ProxmoxMapper.isTemplate(r)).isFalse();
        assertThat(ProxmoxMapper.isTemplate(json("{'template':1}"))).isTrue();
        assertThat(ProxmoxMapper.isTemplate(json("{'template':'1'}"))).isTrue();
        assertThat(ProxmoxMapper.isTemplate(json("{'template':true}"))).isTrue();
        assertThat(ProxmoxMapper.asLong(json("{'a':'12.0'}").get("a"), -1)).isEqualTo(12);
        assertThat(ProxmoxMapper.asInt(json("{'a':'x'}").get("a"), -1)).isEqualTo(-1);
    }

    @Test
    void missingKeysFallBackToDefaults() throws Exception {
        VmInfo vm = ProxmoxMapper.fromResource(json("{'vmid':105}"));
        assertThat(vm.name()).isEqualTo("VM 105");
        assertThat(vm.powerState()).isEqualTo(PowerState.UNKNOWN);
        assertThat(vm.cpuCount()).isZero();
        assertThat(vm.metadata()).isEmpty();
        VmInfo detailed = ProxmoxMapper.fromDetails(105, "pve1", json("{}"), json("{}"), null);
        assertThat(detailed.cpuCount()).isEqualTo(1);
        assertThat(detailed.nics()).isEmpty();
    }

    @Test
    void detailsReadTheMemoryPropertyStringNicsDisksAndPausedState() throws Exception {
        JsonNode status = json("{'status':'running','qmpstatus':'paused','maxmem':1073741824,'agent':1}");
        JsonNode config = json("{'name':'db','cores':2,'sockets':'2','memory':'current=4096',"
                + "'net0':'virtio=BC:24:11:AA:BB:CC,bridge=vmbr0,firewall=1','net1':'e1000=bc:24:11:00:00:01,bridge=vmbr1',"
                + "'scsi0':'local-lvm:vm-105-disk-0,iothread=1,size=32G','ide2':'local-lvm:vm-105-cloudinit,media=cdrom',"
                + "'scsi1':'ceph:vm-105-disk-1,size=512M','ipconfig1':'ip=192.0.2.7/24,gw=192.0.2.1'}");
        JsonNode agent = json("{'result':[{'name':'lo','hardware-address':'00:00:00:00:00:00','ip-addresses':"
                + "[{'ip-address':'127.0.0.1','ip-address-type':'ipv4','prefix':8}]},"
                + "{'name':'eth0','hardware-address':'bc:24:11:aa:bb:cc','ip-addresses':[{'ip-address':'fe80::1','prefix':64},"
                + "{'ip-address':'2001:db8::5','prefix':64},{'ip-address':'10.1.2.3','prefix':24}]},"
                + "{'name':'docker0','hardware-address':'02:42:ac:11:00:01','ip-addresses':[{'ip-address':'172.17.0.1'}]}]}");
        VmInfo vm = ProxmoxMapper.fromDetails(105, "pve1", status, config, agent);
        assertThat(vm.powerState()).isEqualTo(PowerState.SUSPENDED);
        assertThat(vm.cpuCount()).isEqualTo(4);
        assertThat(vm.memoryMiB()).isEqualTo(4096);
        assertThat(vm.nics()).hasSize(2);
        assertThat(vm.nics().get(0).macAddress()).isEqualTo("bc:24:11:aa:bb:cc");
        assertThat(vm.nics().get(0).network()).isEqualTo("vmbr0");
        assertThat(vm.nics().get(0).ipAddresses()).containsExactly("10.1.2.3", "2001:db8::5");
        assertThat(vm.nics().get(1).ipAddresses()).containsExactly("192.0.2.7");
        assertThat(vm.disks()).containsExactlyInAnyOrder(new DiskInfo("scsi0", 32, "local-lvm"), new DiskInfo("scsi1", 1, "ceph"));
        assertThat(vm.ipAddresses()).doesNotContain("127.0.0.1", "172.17.0.1", "fe80::1");
    }

    @Test
    void powerStatesFollowStatusQmpStatusAndLock() {
        assertThat(ProxmoxMapper.powerState("stopped", null, null)).isEqualTo(PowerState.POWERED_OFF);
        assertThat(ProxmoxMapper.powerState("stopped", null, "suspended")).isEqualTo(PowerState.SUSPENDED);
        assertThat(ProxmoxMapper.powerState("running", "running", null)).isEqualTo(PowerState.POWERED_ON);
        assertThat(ProxmoxMapper.powerState("weird", null, null)).isEqualTo(PowerState.UNKNOWN);
    }

    @Test
    void metadataRoundTripsThroughTagsThePveTagGrammarAllows() {
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("owner", "team-a");
        meta.put("Cost Center", "4711/β");
        meta.put(".hidden", "");
        String tags = ProxmoxMapper.tagsFromMetadata(meta);
        for (String tag : tags.split(";")) {
            assertThat(tag).matches("[a-zA-Z0-9_][a-zA-Z0-9_+.\\-]*");
        }
        assertThat(ProxmoxMapper.metadataFromTags(tags)).isEqualTo(meta);
        // Native tags, set in the web UI or by qm, are keys without a value.
        assertThat(ProxmoxMapper.metadataFromTags("prod;web-tier")).containsExactly(Map.entry("prod", ""), Map.entry("web-tier", ""));
        assertThat(ProxmoxMapper.metadataFromTags("broken+_z")).containsEntry("broken", "_z");
    }

    @Test
    void metadataTagsStayReadableForOtherPveTools() {
        assertThat(ProxmoxMapper.tagsFromMetadata(Map.of("owner", "Alice-Smith"))).isEqualTo("owner+Alice-Smith");
        assertThat(ProxmoxMapper.tagsFromMetadata(Map.of("env", "prod.eu"))).isEqualTo("env+prod.eu");
        assertThat(ProxmoxMapper.tagsFromMetadata(Map.of("prod", ""))).isEqualTo("prod");
    }

    @Test
    void sshKeysArePercentEncodedInsideTheValue() {
        String encoded = ProxmoxMapper.encodeSshKeys(List.of("ssh-ed25519 AAAA+b/c= me@host ", "ssh-rsa BBBB x"));
        assertThat(encoded).matches("[-%a-zA-Z0-9_.!~*'()]*").contains("%20").contains("%0A").doesNotContain("+");
        assertThat(URLDecoder.decode(encoded.replace("+", "%2B"), StandardCharsets.UTF_8))
                .isEqualTo("ssh-ed25519 AAAA+b/c= me@host\nssh-rsa BBBB x");
    }

    @Test
    void upidNamesTheExecutingNode() {
        assertThat(ProxmoxMapper.upidNode("UPID:pve3:0001E240:0A1B2C3D:65F0A1B2:qmclone:9000:root@pam!ci:", CTX)).isEqualTo("pve3");
        assertThatThrownBy(() -> ProxmoxMapper.upidNode("nonsense", CTX)).isInstanceOf(io.dvmm.sdk.ProtocolException.class);
    }

    @Test
    void snapshotsParseTimeMemoryAndParent() throws Exception {
        Snapshot s = ProxmoxMapper.fromSnapshot(json("{'name':'s2','snaptime':'1700000000','vmstate':1,'parent':'s1',"
                + "'description':'x\\n'}"));
        assertThat(s.created()).isPresent();
        assertThat(s.includesMemory()).isTrue();
        assertThat(s.parentName()).contains("s1");
        assertThat(s.description()).isEqualTo("x");
    }

    @Test
    void errorsMapByStatusAndReasonPhrase() {
        assertThat(ProxmoxErrors.fromResponse(500, "Configuration file 'nodes/pve1/qemu-server/9.conf' does not exist\n",
                Map.of(), CTX)).isInstanceOf(NotFoundException.class);
        assertThat(ProxmoxErrors.fromResponse(500, "VM 101 already exists on node 'pve2'", Map.of(), CTX))
                .isInstanceOf(ConflictException.class);
        assertThat(ProxmoxErrors.fromResponse(400, "Parameter verification failed.", Map.of("vmid", "VM 100 already exists"), CTX))
                .isInstanceOf(ConflictException.class);
        InvalidSpecException field = (InvalidSpecException) ProxmoxErrors.fromResponse(400, "Parameter verification failed.",
                Map.of("net0", "invalid format"), CTX);
        assertThat(field.field()).isEqualTo("net0");
        assertThat(ProxmoxErrors.fromResponse(500, "can't lock file '/var/lock/qemu-server/lock-1.conf' - got timeout",
                Map.of(), CTX).retryable()).isTrue();
        assertThat(ProxmoxErrors.fromResponse(596, "Connection timed out", Map.of(), CTX))
                .isInstanceOf(UnavailableException.class).satisfies(e -> assertThat(e.retryable()).isTrue());
        assertThat(ProxmoxErrors.fromResponse(500, "", Map.of(), CTX).getMessage()).contains("HTTP 500");
    }
}
