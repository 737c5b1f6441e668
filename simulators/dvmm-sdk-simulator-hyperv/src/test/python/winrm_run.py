"""Runs one command through pywinrm against the simulator and prints what came back as JSON.

Input (JSON on stdin): url, user, password, transport (basic|ntlm), ca (PEM path or null), command,
env (dict), operation_timeout, read_timeout, encryption (auto|always|never).
Output (JSON on stdout): stdout and stderr (latin-1 decoded), exit, or error (the exception's class and text).
"""
import json
import sys

import winrm
from winrm.protocol import Protocol


def main():
    args = json.load(sys.stdin)
    protocol = Protocol(
        endpoint=args["url"],
        transport=args["transport"],
        username=args["user"],
        password=args["password"],
        ca_trust_path=args.get("ca") or None,
        server_cert_validation="validate",
        operation_timeout_sec=args.get("operation_timeout", 20),
        read_timeout_sec=args.get("read_timeout", 30),
        message_encryption=args.get("encryption", "auto"),
    )
    try:
        shell = protocol.open_shell(env_vars=args.get("env") or None)
        command = protocol.run_command(shell, args["command"])
        stdout, stderr, code = protocol.get_command_output(shell, command)
        protocol.cleanup_command(shell, command)
        protocol.close_shell(shell)
    except Exception as e:  # reported to the Java test, which asserts on it
        print(json.dumps({"error": type(e).__name__, "message": str(e)}))
        return
    print(json.dumps({
        "stdout": stdout.decode("latin-1"),
        "stderr": stderr.decode("latin-1"),
        "exit": code,
        "encrypted": protocol.transport.encryption is not None,
        "pywinrm": getattr(winrm, "__version__", "0.3.0"),
    }))


if __name__ == "__main__":
    main()
