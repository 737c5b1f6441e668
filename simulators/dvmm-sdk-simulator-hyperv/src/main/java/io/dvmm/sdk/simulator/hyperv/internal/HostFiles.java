package io.dvmm.sdk.simulator.hyperv.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The host's file system as far as the scripts touch it: folders, files (with content for what {@code copy-file}
 * wrote, a length for the rest), VHD(X) files with their size, type and parent, and the volumes they live on. Paths
 * are full Windows paths, compared case-insensitively. Not thread-safe: the model's lock guards it.
 */
final class HostFiles {

    /** A VHD or VHDX: virtual size, type ({@code Dynamic}, {@code Fixed}, {@code Differencing}) and parent path. */
    static final class Vhd {
        long sizeBytes;
        final String type;
        final String parent;

        Vhd(long sizeBytes, String type, String parent) {
            this.sizeBytes = sizeBytes;
            this.type = type;
            this.parent = parent;
        }
    }

    /** A file or folder. */
    static final class Entry {
        final String path;
        final boolean folder;
        byte[] content;
        long length;
        Vhd vhd;
        /** A template parent: deleting it breaks every VM linked to it. */
        boolean template;
        /** The guest OS installed on a template disk (what the guest's KVP reports as OSName). */
        String guestOs;

        Entry(String path, boolean folder) {
            this.path = path;
            this.folder = folder;
        }
    }

    /** A volume: what {@code Get-Volume} reports. */
    static final class Volume {
        final String drive;
        final String uniqueId;
        final String fileSystem;
        final long capacity;
        final long initialFree;
        long used;

        Volume(String drive, String uniqueId, String fileSystem, long capacity, long initialFree) {
            this.drive = drive;
            this.uniqueId = uniqueId;
            this.fileSystem = fileSystem;
            this.capacity = capacity;
            this.initialFree = initialFree;
        }

        long free() {
            return Math.max(0, initialFree - used);
        }
    }

    private final Map<String, Entry> entries = new TreeMap<>();
    private final Map<String, Volume> volumes = new LinkedHashMap<>();

    void addVolume(Volume v) {
        volumes.put(v.drive, v);
        entries.putIfAbsent(WinPath.key(v.drive + "\\"), new Entry(v.drive + "\\", true));
    }

    Volume volume(String fullPath) {
        String drive = WinPath.drive(fullPath);
        return drive == null ? null : volumes.get(drive);
    }

    List<Volume> volumes() {
        return new ArrayList<>(volumes.values());
    }

    Entry get(String fullPath) {
        return entries.get(WinPath.key(fullPath));
    }

    boolean exists(String fullPath) {
        return get(fullPath) != null;
    }

    boolean isFolder(String fullPath) {
        Entry e = get(fullPath);
        return e != null && e.folder;
    }

    boolean isFile(String fullPath) {
        Entry e = get(fullPath);
        return e != null && !e.folder;
    }

    /** {@code [IO.Directory]::CreateDirectory}: the folder and its missing parents. */
    void createFolders(String fullPath) {
        if (volume(fullPath) == null) {
            throw ScriptError.dotNet("CreateDirectory", 1, "DirectoryNotFoundException",
                    "Could not find a part of the path '" + fullPath + "'.");
        }
        WinPath.checkCreatable(fullPath, "CreateDirectory");
        List<String> missing = new ArrayList<>();
        for (String p = trim(fullPath); p != null && !exists(p); p = WinPath.parent(p)) {
            missing.add(0, p);
        }
        for (String p : missing) {
            Entry e = get(p);
            if (e != null && !e.folder) {
                throw ScriptError.dotNet("CreateDirectory", 1, "IOException", "Cannot create '" + p + "' because a file with that name exists.");
            }
            entries.put(WinPath.key(p), new Entry(p, true));
        }
    }

    /** Creates or replaces a file whose folder must exist. */
    Entry putFile(String fullPath, long length, byte[] content, Vhd vhd, String method) {
        WinPath.checkCreatable(fullPath, method);
        String parent = WinPath.parent(fullPath);
        if (parent == null || !isFolder(parent)) {
            throw ScriptError.dotNet(method, 1, "DirectoryNotFoundException", "Could not find a part of the path '" + fullPath + "'.");
        }
        Entry old = get(fullPath);
        if (old != null && old.folder) {
            throw ScriptError.dotNet(method, 1, "UnauthorizedAccessException", "Access to the path '" + fullPath + "' is denied.");
        }
        Entry e = new Entry(old == null ? fullPath : old.path, false);
        e.length = length;
        e.content = content;
        e.vhd = vhd;
        entries.put(WinPath.key(fullPath), e);
        account(fullPath, length - (old == null ? 0 : old.length));
        return e;
    }

    void resize(Entry e, long newLength) {
        account(e.path, newLength - e.length);
        e.length = newLength;
    }

    void delete(String fullPath) {
        Entry e = entries.remove(WinPath.key(fullPath));
        if (e != null && !e.folder) {
            account(fullPath, -e.length);
        }
    }

    /** Removes a folder and everything in it. */
    void deleteTree(String folder) {
        String prefix = WinPath.key(folder) + "\\";
        for (Entry e : new ArrayList<>(entries.values())) {
            if (WinPath.key(e.path).startsWith(prefix)) {
                delete(e.path);
            }
        }
        delete(folder);
    }

    /** Every file (not folder) in the folder's tree. */
    List<Entry> filesUnder(String folder) {
        String prefix = WinPath.key(folder) + "\\";
        List<Entry> out = new ArrayList<>();
        for (Entry e : entries.values()) {
            if (!e.folder && WinPath.key(e.path).startsWith(prefix)) {
                out.add(e);
            }
        }
        return out;
    }

    /** The direct children of a folder. */
    List<Entry> children(String folder) {
        String key = WinPath.key(folder);
        List<Entry> out = new ArrayList<>();
        for (Entry e : entries.values()) {
            String parent = WinPath.parent(e.path);
            if (parent != null && WinPath.key(parent).equals(key) && !WinPath.key(e.path).equals(key)) {
                out.add(e);
            }
        }
        return out;
    }

    /** The VHDs whose parent is this file. */
    List<Entry> childrenOf(String vhdPath) {
        List<Entry> out = new ArrayList<>();
        for (Entry e : entries.values()) {
            if (e.vhd != null && e.vhd.parent != null && WinPath.key(e.vhd.parent).equals(WinPath.key(vhdPath))) {
                out.add(e);
            }
        }
        return out;
    }

    List<Entry> all() {
        return new ArrayList<>(entries.values());
    }

    private void account(String fullPath, long delta) {
        Volume v = volume(fullPath);
        if (v != null) {
            v.used += delta;
        }
    }

    private static String trim(String p) {
        return p.endsWith("\\") && p.length() > 3 ? p.substring(0, p.length() - 1) : p;
    }
}
