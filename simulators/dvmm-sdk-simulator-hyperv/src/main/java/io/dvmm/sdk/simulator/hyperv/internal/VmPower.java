package io.dvmm.sdk.simulator.hyperv.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code start}, {@code shutdown}, {@code turn-off}, {@code restart}, {@code save}, {@code resume} and
 * {@code guest-ips}. Start-VM and Save-VM block until the VM is Running or Saved (the script runs that long, the VM
 * shows Starting or Saving meanwhile); a guest asked through the shutdown integration service turns off (or reboots)
 * a while later, unless it ignores the request or has no integration services.
 */
final class VmPower extends ScriptSupport {

    VmPower(HyperVHost host) {
        super(host);
    }

    private ScriptRun after(Duration busy, Vm vm) {
        return new ScriptRun(busy, () -> host.locked(() -> ScriptReply.ok(p(vm))));
    }

    /** start.ps1 answers with the VM and its VHDs ({@code Get-VHD}), so that a create needs no get-vm after it. */
    ScriptRun start(Args a) {
        return host.locked(() -> {
            Vm v = vm(a);
            String s = v.state(host.now());
            ScriptRun run = switch (s) {
                case "Paused" -> resumePaused(v);
                case "Running" -> after(Duration.ZERO, v);
                case "Off", "Saved" -> startVm(v, s);
                default -> throw busy(v, s, "StartVM");
            };
            return new ScriptRun(run.busy(), () -> host.locked(() -> ScriptReply.ok(VmJson.vhds(host, v, p(v)))));
        });
    }

    private ScriptRun startVm(Vm v, String from) {
        for (Vm.Drive d : v.drives) {
            checkChain(v, d.path());
        }
        for (String iso : v.dvds) {
            if (iso != null && !host.files.isFile(iso)) {
                throw ScriptError.hyperV("ObjectNotFound", "StartVM", "'" + v.name + "' failed to start. The ISO '" + iso
                        + "' cannot be found.");
            }
        }
        Instant now = host.now();
        boolean fromSaved = from.equals("Saved");
        Duration busy = fromSaved ? host.timings.resume() : host.timings.start();
        Instant ends = now.plus(busy);
        Duration kept = v.savedUptime;
        v.everStarted = true;
        v.transition("Starting", "Running", ends, () -> {
            v.bootedAt = fromSaved ? ends.minus(kept) : ends;
            v.savedUptime = Duration.ZERO;
        });
        return after(busy, v);
    }

    private void checkChain(Vm v, String path) {
        String p = path;
        for (int i = 0; p != null && i < 64; i++) {
            HostFiles.Entry e = host.files.get(p);
            if (e == null || e.vhd == null) {
                throw ScriptError.hyperV("ObjectNotFound", "StartVM", "'" + v.name + "' failed to start. Failed to open"
                        + " attachment '" + p + "'. The system cannot find the file specified.");
            }
            p = e.vhd.parent;
        }
    }

    private ScriptRun resumePaused(Vm v) {
        Duration busy = host.timings.resume();
        v.transition("Resuming", "Running", host.now().plus(busy), null);
        return after(busy, v);
    }

    ScriptRun shutdown(Args a) {
        return host.locked(() -> {
            Vm v = vm(a);
            String s = v.state(host.now());
            if (!s.equals("Off")) {
                if (!s.equals("Running") || !v.integrationServices) {
                    throw ScriptError.invalidState("no shutdown integration service (VM is " + s + ")");
                }
                refused(v, "InitiateShutdown");
                if (!v.ignoresShutdown) {
                    // The guest shuts its services down while the VM shows Running; the last quarter is Stopping.
                    Duration d = host.timings.guestShutdown();
                    Instant stopping = host.now().plus(d.minus(d.dividedBy(4)));
                    Instant off = host.now().plus(d);
                    v.transition("Running", "Stopping", stopping, () -> v.transition("Stopping", "Off", off, () -> v.bootedAt = null));
                }
            }
            return after(Duration.ZERO, v);
        });
    }

    ScriptRun turnOff(Args a) {
        return host.locked(() -> {
            Vm v = vm(a);
            v.settle(host.now());
            v.force("Off");
            v.bootedAt = null;
            v.savedUptime = Duration.ZERO;
            return after(Duration.ZERO, v);
        });
    }

    ScriptRun restart(Args a) {
        boolean guest = a.flag("guest");
        return host.locked(() -> {
            Vm v = vm(a);
            String s = v.state(host.now());
            if (!s.equals("Running")) {
                throw ScriptError.invalidState("VM is " + s);
            }
            if (guest) {
                if (!v.integrationServices) {
                    throw ScriptError.invalidState("no shutdown integration service");
                }
                refused(v, "InitiateReboot");
                if (!v.ignoresShutdown) {
                    Instant ends = host.now().plus(host.timings.guestShutdown());
                    v.transition("Running", "Running", ends, () -> v.bootedAt = ends);
                }
            } else {
                v.force("Running");
                v.bootedAt = host.now();
            }
            return after(Duration.ZERO, v);
        });
    }

    ScriptRun save(Args a) {
        return host.locked(() -> {
            Vm v = vm(a);
            String s = v.state(host.now());
            if (s.equals("Running") || s.equals("Paused")) {
                Duration kept = v.uptime(host.now());
                Duration busy = host.timings.save();
                v.transition("Saving", "Saved", host.now().plus(busy), () -> {
                    v.savedUptime = kept;
                    v.bootedAt = null;
                });
                return after(busy, v);
            }
            if (!s.equals("Saved")) {
                throw ScriptError.invalidState("VM is " + s);
            }
            return after(Duration.ZERO, v);
        });
    }

    ScriptRun resume(Args a) {
        return host.locked(() -> {
            Vm v = vm(a);
            String s = v.state(host.now());
            return switch (s) {
                case "Saved" -> startVm(v, s);
                case "Paused" -> resumePaused(v);
                case "Running" -> after(Duration.ZERO, v);
                default -> throw ScriptError.invalidState("VM is " + s);
            };
        });
    }

    ScriptRun guestIps(Args a) {
        Vm vm = host.locked(() -> vm(a));
        return ScriptRun.now(() -> host.locked(() -> {
            Instant now = host.now();
            ObjectNode r = VmJson.vhds(host, vm, p(vm));
            String s = vm.state(now);
            Duration up = vm.uptime(now);
            String heartbeat = !s.equals("Running") || !vm.integrationServices ? ""
                    : up.compareTo(host.timings.guestIp().dividedBy(2)) < 0 ? "NoContact" : "OkApplicationsUnknown";
            r.put("heartbeat", heartbeat);
            ObjectNode kvp = r.putObject("kvp");
            if (heartbeat.equals("OkApplicationsUnknown")) {
                List<String> v4 = new ArrayList<>();
                List<String> v6 = new ArrayList<>();
                for (Vm.Nic n : vm.nics) {
                    for (String ip : GuestNetwork.addresses(host, vm, n, now)) {
                        (ip.contains(":") ? v6 : v4).add(ip);
                    }
                }
                if (!v4.isEmpty()) {
                    kvp.put("NetworkAddressIPv4", String.join(";", v4));
                }
                if (!v6.isEmpty()) {
                    kvp.put("NetworkAddressIPv6", String.join(";", v6));
                }
                kvp.put("FullyQualifiedDomainName", vm.hostname);
                if (!vm.osName.isEmpty()) {
                    kvp.put("OSName", vm.osName);
                }
            }
            return ScriptReply.ok(r);
        }));
    }

    private static void refused(Vm v, String method) {
        if (v.shutdownReturnValue != 0 && v.shutdownReturnValue != 4096) {
            throw ScriptError.operationFailed(method + " returned " + v.shutdownReturnValue);
        }
    }

    private static ScriptError busy(Vm v, String state, String cmdlet) {
        return ScriptError.hyperV("InvalidState", cmdlet, "'" + v.name + "' failed to change state. The operation cannot"
                + " be performed while the object is in its current state (" + state + ").");
    }
}
