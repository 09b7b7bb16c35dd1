"""A held picture (a still while the voice speaks) in an H.264 stream, encoded only until x264
stops refining it.

x264 codes a still as a keyframe, then a few frames that sharpen it, then frames that copy
the picture before them unchanged (every macroblock skipped: about 70 bytes at 1080p, yet
3 to 5 ms of x264's CPU each). Once a frame decodes to exactly the picture before it, that
frame's packet does the same on top of any copy of that picture, so it is written again for
the rest of the hold, each time with the next ``frame_num`` (a field of fixed width in its
slice header: nothing else in the packet changes). Each copy is an ordinary reference P frame
in sequence, so the stream is as valid as x264's own and every frame after the last
refinement is that picture, exactly.

Used by ``manim_internals.FastSegmentEncoder``. Only a stream whose pictures are numbered by
``frame_num`` alone (``pic_order_cnt_type`` 2: x264 without B-frames) and whose frames are one
slice each (one thread) is copied so; any other hold has its first run of frames written again,
run after run, as before.
"""

from __future__ import annotations

from collections.abc import Callable

import av

#: The IDR's sharpening is taken at least this far before a copy may end it (x264 refines a
#: still in bursts within its first few frames).
SETTLE_FRAMES = 8

_START = b"\x00\x00\x00\x01"
_PROFILES_WITH_CHROMA_FORMAT = {100, 110, 122, 244, 44, 83, 86, 118, 128, 138, 139, 134, 135}
_NON_IDR_SLICE, _SPS = 1, 7


class _Bits:
    """Reading an RBSP bit by bit: fixed-width fields (u) and Exp-Golomb codes (ue)."""

    def __init__(self, data: bytes) -> None:
        self.data, self.at = data, 0

    def u(self, width: int) -> int:
        value = 0
        for _ in range(width):
            value = (value << 1) | ((self.data[self.at >> 3] >> (7 - (self.at & 7))) & 1)
            self.at += 1
        return value

    def ue(self) -> int:
        zeros = 0
        while self.u(1) == 0:
            zeros += 1
        return (1 << zeros) - 1 + self.u(zeros)


def _unescaped(payload: bytes) -> bytearray:
    """A NAL unit's payload without its emulation prevention bytes (00 00 03 -> 00 00)."""
    out, zeros = bytearray(), 0
    for byte in payload:
        if zeros >= 2 and byte == 3:
            zeros = 0
            continue
        out.append(byte)
        zeros = zeros + 1 if byte == 0 else 0
    return out


def _escaped(rbsp: bytes) -> bytes:
    out, zeros = bytearray(), 0
    for byte in rbsp:
        if zeros >= 2 and byte <= 3:
            out.append(3)
            zeros = 0
        out.append(byte)
        zeros = zeros + 1 if byte == 0 else 0
    return bytes(out)


def _nal_units(annex_b: bytes) -> list[bytes]:
    return [unit.rstrip(b"\x00") for unit in annex_b.split(b"\x00\x00\x01")[1:]]


def frame_num_width(extradata: bytes) -> int | None:
    """The width of ``frame_num`` in the stream's slice headers, from its sequence parameter set;
    None unless its pictures are ordered by ``frame_num`` alone (``pic_order_cnt_type`` 2)."""
    sps = next((unit for unit in _nal_units(extradata) if unit[0] & 0x1F == _SPS), None)
    if sps is None:
        return None
    bits = _Bits(_unescaped(sps[1:]))
    profile = bits.u(8)
    bits.u(16)  # constraint flags, level
    bits.ue()  # seq_parameter_set_id
    if profile in _PROFILES_WITH_CHROMA_FORMAT:
        if bits.ue() == 3:  # chroma_format_idc
            bits.u(1)
        bits.ue(), bits.ue(), bits.u(1)  # bit depths, qpprime_y_zero_transform_bypass_flag
        if bits.u(1):  # scaling matrices: not read here
            return None
    width = bits.ue() + 4  # log2_max_frame_num_minus4
    return width if bits.ue() == 2 else None


def renumbered(packet: bytes, width: int, step: int) -> bytes | None:
    """``packet`` (one non-IDR reference slice, Annex B) with its ``frame_num`` moved on by
    ``step``, or None if it is not such a packet."""
    units = _nal_units(packet)
    if len(units) != 1 or units[0][0] & 0x1F != _NON_IDR_SLICE or not units[0][0] >> 5:
        return None
    header, rbsp = units[0][:1], _unescaped(units[0][1:])
    bits = _Bits(rbsp)
    bits.ue(), bits.ue(), bits.ue()  # first_mb_in_slice, slice_type, pic_parameter_set_id
    at = bits.at
    number = (bits.u(width) + step) % (1 << width)
    for k in range(width):
        byte, shift = (at + k) >> 3, 7 - ((at + k) & 7)
        rbsp[byte] = (rbsp[byte] & ~(1 << shift)) | (((number >> (width - 1 - k)) & 1) << shift)
    return _START + header + _escaped(bytes(rbsp))


def held_packets(
    encode: Callable[[], list[av.Packet]], flush: Callable[[], list[av.Packet]], stream, repeat: int, run: int
) -> list[tuple[bytes, bool]]:
    """(data, keyframe) of the packets of ``repeat`` frames of one picture, in order:
    ``encode()`` encodes the picture once more, ``flush()`` ends the encoder's stream, each
    returning the packets the encoder gave back. At most ``run`` frames are encoded; when none
    of them copied the one before (or the stream does not qualify), the ``run`` encoded
    frames are written again, one run after another (each begins with a keyframe)."""
    decoder, packets, last_two, decoded = None, [], [], 0
    for _ in range(run):
        for packet in encode():
            if decoder is None:
                decoder = av.CodecContext.create("h264", "r")
                decoder.extradata = stream.codec_context.extradata
                decoder.thread_count = 1  # each picture out as its packet goes in, on any machine
            packets.append(packet)
            for picture in decoder.decode(packet):
                last_two = [*last_two[-1:], b"".join(bytes(plane) for plane in picture.planes)]
                decoded += 1
            if decoded == len(packets) > SETTLE_FRAMES and last_two[0] == last_two[1]:
                copies = _copies(bytes(packet), stream, repeat - len(packets))
                if copies is not None:
                    flush()  # the frames it still holds are the copies' to show
                    return [(bytes(p), p.is_keyframe) for p in packets] + [(copy, False) for copy in copies]
    packets += flush()
    in_order = [(p.pts, p.dts) for p in packets] == [(pts, pts) for pts in range(run)]
    if not (in_order and packets[0].is_keyframe):  # B-frames or an open run: not repeatable
        raise RuntimeError(f"a held run of {run} frames does not start on a keyframe with its frames in order")
    kept = [(bytes(p), p.is_keyframe) for p in packets]
    return [kept[pts % run] for pts in range(repeat)]


def _copies(packet: bytes, stream, count: int) -> list[bytes] | None:
    """``count`` packets after ``packet`` (which copies the picture before it), each copying
    the one before; None if the stream or the packet does not qualify."""
    width = frame_num_width(stream.codec_context.extradata)
    if width is None:
        return None
    numbered = [renumbered(packet, width, step) for step in range(1 << width)]  # frame_num wraps
    if any(copy is None for copy in numbered):
        return None
    return [numbered[k % (1 << width)] for k in range(1, count + 1)]
