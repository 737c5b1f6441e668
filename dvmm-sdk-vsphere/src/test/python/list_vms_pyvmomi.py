#!/usr/bin/python3
"""List every VM with pyVmomi the efficient way (container view + RetrievePropertiesEx, paged),
for ListVmsBenchmark. Prints one line: "vms=<n> seconds=<wall> calls=<soap round trips>".

Usage: list_vms_pyvmomi.py HOST PORT USER PASSWORD SHA256 RUNS
The server certificate is verified by its SHA-256 pin (vcsim's is self-signed).
"""
import hashlib
import ssl
import sys
import time

from pyVim.connect import SmartConnect, Disconnect
from pyVmomi import SoapAdapter, vim, vmodl

host, port, user, password, pin, runs = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5], int(sys.argv[6])

der = ssl.PEM_cert_to_DER_cert(ssl.get_server_certificate((host, port)))
if hashlib.sha256(der).hexdigest() != pin.lower():
    sys.exit("certificate does not match the pinned SHA-256")
context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
context.check_hostname = False
context.verify_mode = ssl.CERT_NONE  # the pin above replaces CA verification for this self-signed lab cert

calls = [0]
original = SoapAdapter.SoapStubAdapter.InvokeMethod


def counting(self, *args, **kwargs):
    calls[0] += 1
    return original(self, *args, **kwargs)


SoapAdapter.SoapStubAdapter.InvokeMethod = counting

si = SmartConnect(host=host, port=port, user=user, pwd=password, sslContext=context)
content = si.RetrieveContent()
paths = ["name", "runtime.powerState", "runtime.host", "config.hardware.numCPU", "config.hardware.memoryMB",
         "config.template", "guest.net", "guest.ipAddress"]


def list_vms():
    view = content.viewManager.CreateContainerView(content.rootFolder, [vim.VirtualMachine], True)
    try:
        traversal = vmodl.query.PropertyCollector.TraversalSpec(name="view", path="view", skip=False, type=vim.view.ContainerView)
        obj = vmodl.query.PropertyCollector.ObjectSpec(obj=view, skip=True, selectSet=[traversal])
        prop = vmodl.query.PropertyCollector.PropertySpec(type=vim.VirtualMachine, pathSet=paths, all=False)
        spec = vmodl.query.PropertyCollector.FilterSpec(objectSet=[obj], propSet=[prop])
        pc = content.propertyCollector
        result = pc.RetrievePropertiesEx([spec], vmodl.query.PropertyCollector.RetrieveOptions(maxObjects=1000))
        vms = []
        while result is not None:
            for oc in result.objects:
                props = {p.name: p.val for p in oc.propSet}
                if not props.get("config.template"):
                    vms.append(props.get("name"))
            if not result.token:
                break
            result = pc.ContinueRetrievePropertiesEx(result.token)
        return sorted(vms)
    finally:
        view.DestroyView()


list_vms()  # warm-up
times = []
before = calls[0]
count = 0
for _ in range(runs):
    start = time.perf_counter()
    count = len(list_vms())
    times.append(time.perf_counter() - start)
per_run = (calls[0] - before) / runs
times.sort()
print("vms=%d seconds=%.4f calls=%d" % (count, times[len(times) // 2], per_run))
Disconnect(si)
