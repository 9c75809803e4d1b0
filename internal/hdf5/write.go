package hdf5

import (
	"encoding/binary"
	"fmt"
	"io"
	"sort"
	"strings"
)

// The format constants this package writes (HDF5 File Format Specification
// version 2.0, sections II–IV). The group B-tree's K and the symbol-table
// node's K are the library defaults, recorded in the superblock.
const (
	undefAddr  = ^uint64(0)
	leafK      = 4  // a symbol-table node holds up to 2*leafK entries
	internalK  = 16 // a group B-tree node holds up to 2*internalK children
	btreeSize  = 24 + (2*internalK+1)*8 + 2*internalK*8
	snodSize   = 8 + 2*leafK*40
	maxMembers = 2 * internalK * 2 * leafK // one level-0 B-tree node of full symbol-table nodes
)

var signature = []byte{0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'}

// node is a group of the tree being written: its members by name.
type node struct {
	groups map[string]*node
	sets   map[string]*Dataset
}

func newNode() *node { return &node{groups: map[string]*node{}, sets: map[string]*Dataset{}} }

// Write writes an HDF5 file holding the datasets and the (possibly empty)
// groups, every path slash-separated from the root. Parent groups are made
// as needed. The output depends only on the arguments, so equal input gives
// equal bytes.
func Write(w io.Writer, groups []string, datasets []Dataset) error {
	root := newNode()
	for _, g := range groups {
		if _, err := root.group(g, true); err != nil {
			return err
		}
	}
	for i := range datasets {
		d := &datasets[i]
		es := DTypeSize(d.DType)
		if es == 0 {
			return fmt.Errorf("dataset %q: dtype %q is not supported (use float16, float32, float64 or an 8-64-bit integer)", d.Path, d.DType)
		}
		for _, s := range d.Shape {
			if s < 0 {
				return fmt.Errorf("dataset %q: negative dimension in shape %v", d.Path, d.Shape)
			}
		}
		if len(d.Data) != d.Size()*es {
			return fmt.Errorf("dataset %q: %d bytes of data for shape %v of %s (want %d)", d.Path, len(d.Data), d.Shape, d.DType, d.Size()*es)
		}
		dir, name := splitPath(d.Path)
		if name == "" {
			return fmt.Errorf("dataset path %q has no name", d.Path)
		}
		parent, err := root.group(dir, true)
		if err != nil {
			return err
		}
		if _, ok := parent.groups[name]; ok {
			return fmt.Errorf("dataset %q: a group has that path", d.Path)
		}
		if _, ok := parent.sets[name]; ok {
			return fmt.Errorf("dataset %q given twice", d.Path)
		}
		parent.sets[name] = d
	}
	f := &filebuf{}
	f.alloc(96) // the superblock
	rootHeader, rootTree, rootHeap, err := f.writeGroup(root)
	if err != nil {
		return err
	}
	sb := f.b[:96]
	copy(sb, signature)
	// versions 0 (superblock, free space, root symbol table, shared header): bytes 8–11 zero.
	sb[13], sb[14] = 8, 8 // size of offsets, size of lengths
	le := binary.LittleEndian
	le.PutUint16(sb[16:], leafK)
	le.PutUint16(sb[18:], internalK)
	le.PutUint64(sb[24:], 0)         // base address
	le.PutUint64(sb[32:], undefAddr) // free-space info
	le.PutUint64(sb[40:], uint64(len(f.b)))
	le.PutUint64(sb[48:], undefAddr) // driver info
	putEntry(sb[56:], 0, rootHeader, rootTree, rootHeap, true)
	_, err = w.Write(f.b)
	return err
}

// group finds (and with make, creates) the group at path below n.
func (n *node) group(path string, make bool) (*node, error) {
	cur := n
	for _, part := range strings.Split(strings.Trim(path, "/"), "/") {
		if part == "" {
			continue
		}
		if _, ok := cur.sets[part]; ok {
			return nil, fmt.Errorf("group %q: a dataset has that path", path)
		}
		next, ok := cur.groups[part]
		if !ok {
			next = newNode()
			cur.groups[part] = next
		}
		cur = next
	}
	return cur, nil
}

func splitPath(p string) (dir, name string) {
	p = strings.Trim(p, "/")
	i := strings.LastIndexByte(p, '/')
	return p[:i+1], p[i+1:]
}

// filebuf is the file being built: objects are allocated at 8-byte aligned
// offsets and filled in place.
type filebuf struct{ b []byte }

func (f *filebuf) alloc(n int) uint64 {
	for len(f.b)%8 != 0 {
		f.b = append(f.b, 0)
	}
	at := len(f.b)
	f.b = append(f.b, make([]byte, n)...)
	return uint64(at)
}

// putEntry writes a 40-byte symbol table entry; a group's entry caches its
// B-tree and heap addresses (cache type 1) as the HDF5 library does.
func putEntry(b []byte, nameOff, header, tree, heap uint64, isGroup bool) {
	le := binary.LittleEndian
	le.PutUint64(b[0:], nameOff)
	le.PutUint64(b[8:], header)
	if isGroup {
		le.PutUint32(b[16:], 1)
		le.PutUint64(b[24:], tree)
		le.PutUint64(b[32:], heap)
	}
}

// objectHeader allocates a version 1 object header holding msgs (type and
// body; bodies are padded to 8 bytes) and returns its address.
func (f *filebuf) objectHeader(msgs []message) uint64 {
	size := 0
	for _, m := range msgs {
		size += 8 + pad8(len(m.body))
	}
	at := f.alloc(16 + size)
	b := f.b[at:]
	le := binary.LittleEndian
	b[0] = 1
	le.PutUint16(b[2:], uint16(len(msgs)))
	le.PutUint32(b[4:], 1) // reference count
	le.PutUint32(b[8:], uint32(size))
	p := 16
	for _, m := range msgs {
		le.PutUint16(b[p:], m.kind)
		le.PutUint16(b[p+2:], uint16(pad8(len(m.body))))
		b[p+4] = m.flags
		copy(b[p+8:], m.body)
		p += 8 + pad8(len(m.body))
	}
	return at
}

type message struct {
	kind  uint16
	flags byte
	body  []byte
}

func pad8(n int) int { return (n + 7) &^ 7 }

// writeGroup lays out a group (object header, B-tree, local heap, symbol
// table nodes) and then its members, depth first.
func (f *filebuf) writeGroup(n *node) (header, tree, heap uint64, err error) {
	names := make([]string, 0, len(n.groups)+len(n.sets))
	for k := range n.groups {
		names = append(names, k)
	}
	for k := range n.sets {
		names = append(names, k)
	}
	sort.Strings(names) // HDF5 orders a symbol table by strcmp, which is byte order
	if len(names) > maxMembers {
		return 0, 0, 0, fmt.Errorf("a group with %d members: this writer stores at most %d per group", len(names), maxMembers)
	}
	// The local heap: offset 0 is the empty name, then each name
	// NUL-terminated and padded to 8, then one free block of 16 bytes.
	heapData := make([]byte, 8)
	nameOff := make([]uint64, len(names))
	for i, s := range names {
		nameOff[i] = uint64(len(heapData))
		heapData = append(heapData, make([]byte, pad8(len(s)+1))...)
		copy(heapData[nameOff[i]:], s)
	}
	freeAt := uint64(len(heapData))
	heapData = append(heapData, make([]byte, 16)...)
	binary.LittleEndian.PutUint64(heapData[freeAt:], 1) // no next free block (H5HL_FREE_NULL)
	binary.LittleEndian.PutUint64(heapData[freeAt+8:], 16)

	body := make([]byte, 16)
	header = f.objectHeader([]message{{kind: 0x11, body: body}})
	tree = f.alloc(btreeSize)
	heap = f.alloc(32)
	heapSeg := f.alloc(len(heapData))
	copy(f.b[heapSeg:], heapData)
	le := binary.LittleEndian
	hb := f.b[heap:]
	copy(hb, "HEAP")
	le.PutUint64(hb[8:], uint64(len(heapData)))
	le.PutUint64(hb[16:], freeAt)
	le.PutUint64(hb[24:], heapSeg)
	sm := f.b[header+16+8:]
	le.PutUint64(sm[0:], tree)
	le.PutUint64(sm[8:], heap)

	nodes := (len(names) + 2*leafK - 1) / (2 * leafK)
	if nodes == 0 {
		nodes = 1 // an empty group still has one (empty) symbol-table node
	}
	snods := make([]uint64, nodes)
	for i := range snods {
		snods[i] = f.alloc(snodSize)
	}
	tb := f.b[tree:]
	copy(tb, "TREE")
	tb[4], tb[5] = 0, 0 // group node, level 0
	le.PutUint16(tb[6:], uint16(nodes))
	le.PutUint64(tb[8:], undefAddr)
	le.PutUint64(tb[16:], undefAddr)
	p := 24
	le.PutUint64(tb[p:], 0) // key 0: the empty name
	for i := range snods {
		last := min((i+1)*2*leafK, len(names)) - 1
		key := uint64(0)
		if last >= 0 {
			key = nameOff[last]
		}
		le.PutUint64(tb[p+8:], snods[i])
		le.PutUint64(tb[p+16:], key)
		p += 16
	}
	for i, s := range names {
		var h, t, hp uint64
		isGroup := false
		if g, ok := n.groups[s]; ok {
			if h, t, hp, err = f.writeGroup(g); err != nil {
				return 0, 0, 0, err
			}
			isGroup = true
		} else {
			h = f.writeDataset(n.sets[s])
		}
		sn := f.b[snods[i/(2*leafK)]:]
		if i%(2*leafK) == 0 {
			copy(sn, "SNOD")
			sn[4] = 1
			cnt := min(len(names)-i, 2*leafK)
			le.PutUint16(sn[6:], uint16(cnt))
		}
		putEntry(sn[8+40*(i%(2*leafK)):], nameOff[i], h, t, hp, isGroup)
	}
	if len(names) == 0 {
		copy(f.b[snods[0]:], "SNOD")
		f.b[snods[0]+4] = 1
	}
	return header, tree, heap, nil
}

// writeDataset writes a dataset's object header and its contiguous data.
func (f *filebuf) writeDataset(d *Dataset) uint64 {
	le := binary.LittleEndian
	// Dataspace, version 1: rank, flags (no max dims), reserved, dims.
	space := make([]byte, 8+8*len(d.Shape))
	space[0], space[1] = 1, byte(len(d.Shape))
	for i, s := range d.Shape {
		le.PutUint64(space[8+8*i:], uint64(s))
	}
	fill := []byte{2, 2, 2, 0} // version 2, allocation late, write if set, undefined
	layout := make([]byte, 18)
	layout[0], layout[1] = 3, 1 // version 3, contiguous
	msgs := []message{
		{kind: 0x1, body: space},
		{kind: 0x3, flags: 1, body: datatype(d.DType)}, // constant
		{kind: 0x5, flags: 1, body: fill},
		{kind: 0x8, body: layout},
	}
	header := f.objectHeader(msgs)
	var data uint64 = undefAddr
	if len(d.Data) > 0 {
		data = f.alloc(len(d.Data))
		copy(f.b[data:], d.Data)
	}
	// The layout message is the last one; fill in its address and size.
	off := header + 16
	for _, m := range msgs[:3] {
		off += uint64(8 + pad8(len(m.body)))
	}
	lb := f.b[off+8:]
	le.PutUint64(lb[2:], data)
	le.PutUint64(lb[10:], uint64(len(d.Data)))
	return header
}

// datatype encodes a little-endian IEEE float or two's-complement integer
// as a version 1 datatype message.
func datatype(dtype string) []byte {
	size := DTypeSize(dtype)
	le := binary.LittleEndian
	if strings.HasPrefix(dtype, "float") {
		b := make([]byte, 20)
		b[0] = 0x10 | 1
		var sign, expLoc, expSize, mantSize byte
		var bias uint32
		switch size {
		case 2:
			sign, expLoc, expSize, mantSize, bias = 15, 10, 5, 10, 15
		case 4:
			sign, expLoc, expSize, mantSize, bias = 31, 23, 8, 23, 127
		default:
			sign, expLoc, expSize, mantSize, bias = 63, 52, 11, 52, 1023
		}
		b[1] = 0x20 // little-endian, implied leading mantissa bit
		b[2] = sign
		le.PutUint32(b[4:], uint32(size))
		le.PutUint16(b[10:], uint16(8*size))
		b[12], b[13], b[14], b[15] = expLoc, expSize, 0, mantSize
		le.PutUint32(b[16:], bias)
		return b
	}
	b := make([]byte, 12)
	b[0] = 0x10 | 0
	if dtype[0] == 'i' {
		b[1] = 0x08 // signed
	}
	le.PutUint32(b[4:], uint32(size))
	le.PutUint16(b[10:], uint16(8*size))
	return b
}
