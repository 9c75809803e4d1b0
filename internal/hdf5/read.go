package hdf5

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"io"
	"sort"
	"strings"
)

// Limits on untrusted files: deeper trees, more objects or more header
// messages than these are refused rather than walked.
const (
	maxDepth    = 64
	maxObjects  = 1 << 16
	maxMessages = 1 << 12
	maxRank     = 32
)

// File is what Read found: every group path (the root is "") and every
// dataset, both sorted by path.
type File struct {
	Groups   []string
	Datasets []Dataset
}

// Dataset returns the dataset at path, or false.
func (f *File) Dataset(path string) (Dataset, bool) {
	path = strings.Trim(path, "/")
	i := sort.Search(len(f.Datasets), func(i int) bool { return f.Datasets[i].Path >= path })
	if i < len(f.Datasets) && f.Datasets[i].Path == path {
		return f.Datasets[i], true
	}
	return Dataset{}, false
}

// reader is one Read: the file and the bookkeeping that bounds the walk.
type reader struct {
	base    uint64
	r       io.ReaderAt
	size    uint64
	objects int
	visited map[uint64]bool
	out     *File
}

// Read parses an HDF5 file of size bytes. It returns an error naming the
// first HDF5 feature outside this package's subset.
func Read(r io.ReaderAt, size int64) (*File, error) {
	if size < 0 {
		return nil, fmt.Errorf("hdf5: negative file size")
	}
	rd := &reader{r: r, size: uint64(size), visited: map[uint64]bool{}, out: &File{}}
	// The superblock may sit at 0, 512, 1024, 2048... (a user block before it).
	var base uint64
	found := false
	for at := uint64(0); at+8 <= rd.size && at <= 1<<20; at = max(512, at*2) {
		sig, err := rd.bytes(at, 8)
		if err != nil {
			return nil, err
		}
		if bytes.Equal(sig, signature) {
			base, found = at, true
			break
		}
	}
	if !found {
		return nil, fmt.Errorf("hdf5: not an HDF5 file (no superblock signature)")
	}
	head, err := rd.bytes(base, 9)
	if err != nil {
		return nil, err
	}
	if v := head[8]; v != 0 && v != 1 {
		return nil, fmt.Errorf("hdf5: superblock version %d is not supported (only 0 and 1, as h5py writes by default; save with libver='earliest')", v)
	}
	n := uint64(96)
	if head[8] == 1 {
		n = 100
	}
	sb, err := rd.bytes(base, n)
	if err != nil {
		return nil, err
	}
	if sb[13] != 8 || sb[14] != 8 {
		return nil, fmt.Errorf("hdf5: %d-byte offsets and %d-byte lengths are not supported (only 8)", sb[13], sb[14])
	}
	le := binary.LittleEndian
	if a := le.Uint64(sb[24:]); a != base {
		return nil, fmt.Errorf("hdf5: base address %d does not match the superblock at %d", a, base)
	}
	if eof := le.Uint64(sb[40:]); eof > rd.size-base {
		return nil, fmt.Errorf("hdf5: truncated or corrupt file: the superblock says it is %d bytes, but it has %d", eof, rd.size-base)
	}
	entry := sb[56:]
	if head[8] == 1 {
		entry = sb[60:]
	}
	rootHeader := le.Uint64(entry[8:])
	rd.base = base
	if err := rd.group("", rootHeader, 0); err != nil {
		return nil, err
	}
	sort.Strings(rd.out.Groups)
	sort.Slice(rd.out.Datasets, func(i, j int) bool { return rd.out.Datasets[i].Path < rd.out.Datasets[j].Path })
	return rd.out, nil
}

// bytes reads n bytes at relative address at, refusing any range outside the file.
func (rd *reader) bytes(at, n uint64) ([]byte, error) {
	at += rd.base
	if at < rd.base || n > rd.size || at > rd.size-n {
		return nil, fmt.Errorf("hdf5: truncated or corrupt file: %d bytes at offset %d run past its end (%d bytes)", n, at, rd.size)
	}
	b := make([]byte, n)
	if _, err := rd.r.ReadAt(b, int64(at)); err != nil && !(err == io.EOF && n == 0) {
		return nil, fmt.Errorf("hdf5: reading %d bytes at %d: %v", n, at, err)
	}
	return b, nil
}

// msg is one header message, body already read.
type msg struct {
	kind uint16
	body []byte
}

// header reads a version 1 object header and its continuation blocks.
func (rd *reader) header(addr uint64) ([]msg, error) {
	if rd.visited[addr] {
		return nil, fmt.Errorf("hdf5: object header at %d is reached twice (a cycle or a hard link; not supported)", addr)
	}
	rd.visited[addr] = true
	if rd.objects++; rd.objects > maxObjects {
		return nil, fmt.Errorf("hdf5: more than %d objects", maxObjects)
	}
	pre, err := rd.bytes(addr, 16)
	if err != nil {
		return nil, err
	}
	if bytes.Equal(pre[:4], []byte("OHDR")) {
		return nil, fmt.Errorf("hdf5: version 2 object headers are not supported (h5py writes version 1 by default; save with libver='earliest')")
	}
	if pre[0] != 1 {
		return nil, fmt.Errorf("hdf5: object header at %d has version %d (only 1 is supported)", addr, pre[0])
	}
	le := binary.LittleEndian
	count := int(le.Uint16(pre[2:]))
	type block struct{ at, n uint64 }
	blocks := []block{{addr + 16, uint64(le.Uint32(pre[8:]))}}
	var out []msg
	for nblocks := 0; len(blocks) > 0; nblocks++ {
		if nblocks > maxMessages {
			return nil, fmt.Errorf("hdf5: object header at %d has too many continuation blocks", addr)
		}
		bl := blocks[0]
		blocks = blocks[1:]
		data, err := rd.bytes(bl.at, bl.n)
		if err != nil {
			return nil, err
		}
		for p := 0; p+8 <= len(data); {
			kind := le.Uint16(data[p:])
			n := int(le.Uint16(data[p+2:]))
			flags := data[p+4]
			if p+8+n > len(data) {
				return nil, fmt.Errorf("hdf5: object header at %d: a message of %d bytes runs past its block", addr, n)
			}
			body := data[p+8 : p+8+n]
			p += 8 + n
			if len(out) >= maxMessages || len(out) >= count+maxMessages {
				return nil, fmt.Errorf("hdf5: object header at %d has too many messages", addr)
			}
			if flags&0x02 != 0 && kind != 0x3 {
				return nil, fmt.Errorf("hdf5: shared header messages are not supported (message type %d at %d)", kind, addr)
			}
			if kind == 0x10 { // continuation
				if len(body) < 16 {
					return nil, fmt.Errorf("hdf5: short continuation message at %d", addr)
				}
				blocks = append(blocks, block{le.Uint64(body), le.Uint64(body[8:])})
				continue
			}
			if flags&0x08 != 0 && !knownMessage(kind) {
				return nil, fmt.Errorf("hdf5: object header at %d has message type %d, which must be understood and is not supported", addr, kind)
			}
			out = append(out, msg{kind, body})
		}
		if len(out) > count+maxMessages {
			break
		}
	}
	return out, nil
}

func knownMessage(kind uint16) bool {
	switch kind {
	case 0x0, 0x1, 0x3, 0x4, 0x5, 0x8, 0x11, 0x12, 0xC, 0xE:
		return true
	}
	return false
}

// group reads the group at addr (a symbol-table group) and its members.
func (rd *reader) group(path string, addr uint64, depth int) error {
	if depth > maxDepth {
		return fmt.Errorf("hdf5: groups nested deeper than %d", maxDepth)
	}
	msgs, err := rd.header(addr)
	if err != nil {
		return err
	}
	return rd.groupFrom(path, addr, msgs, depth)
}

func (rd *reader) groupFrom(path string, addr uint64, msgs []msg, depth int) error {
	var stab []byte
	for _, m := range msgs {
		switch m.kind {
		case 0x11:
			stab = m.body
		case 0x02, 0x06, 0x0A:
			return fmt.Errorf("hdf5: group %q uses link messages (new-style groups) which are not supported; save with libver='earliest'", "/"+path)
		}
	}
	if len(stab) < 16 {
		return fmt.Errorf("hdf5: object %q at %d is neither a group nor a dataset", "/"+path, addr)
	}
	rd.out.Groups = append(rd.out.Groups, path)
	le := binary.LittleEndian
	heapAddr := le.Uint64(stab[8:])
	heap, err := rd.bytes(heapAddr, 32)
	if err != nil {
		return err
	}
	if !bytes.Equal(heap[:4], []byte("HEAP")) || heap[4] != 0 {
		return fmt.Errorf("hdf5: group %q: bad local heap at %d", "/"+path, heapAddr)
	}
	names, err := rd.bytes(le.Uint64(heap[24:]), le.Uint64(heap[8:]))
	if err != nil {
		return err
	}
	var entries [][]byte
	if err := rd.btree(le.Uint64(stab[0:]), 0, &entries); err != nil {
		return fmt.Errorf("%v (in group %q)", err, "/"+path)
	}
	for _, e := range entries {
		off := le.Uint64(e[0:])
		if off >= uint64(len(names)) {
			return fmt.Errorf("hdf5: group %q: a member's name offset %d is outside its heap", "/"+path, off)
		}
		end := bytes.IndexByte(names[off:], 0)
		if end < 0 {
			return fmt.Errorf("hdf5: group %q: a member's name is not terminated", "/"+path)
		}
		name := string(names[off : off+uint64(end)])
		if name == "" || strings.Contains(name, "/") || name == "." {
			return fmt.Errorf("hdf5: group %q: bad member name %q", "/"+path, name)
		}
		child := name
		if path != "" {
			child = path + "/" + name
		}
		h := le.Uint64(e[8:])
		cm, err := rd.header(h)
		if err != nil {
			return err
		}
		if isDataset(cm) {
			d, err := rd.dataset(child, cm)
			if err != nil {
				return err
			}
			rd.out.Datasets = append(rd.out.Datasets, d)
			continue
		}
		if depth+1 > maxDepth {
			return fmt.Errorf("hdf5: groups nested deeper than %d", maxDepth)
		}
		if err := rd.groupFrom(child, h, cm, depth+1); err != nil {
			return err
		}
	}
	return nil
}

func isDataset(msgs []msg) bool {
	for _, m := range msgs {
		if m.kind == 0x8 {
			return true
		}
	}
	return false
}

// btree walks a version 1 group B-tree, collecting symbol table entries.
func (rd *reader) btree(addr uint64, depth int, out *[][]byte) error {
	if depth > maxDepth {
		return fmt.Errorf("hdf5: B-tree deeper than %d", maxDepth)
	}
	if rd.objects++; rd.objects > maxObjects {
		return fmt.Errorf("hdf5: more than %d objects", maxObjects)
	}
	head, err := rd.bytes(addr, 24)
	if err != nil {
		return err
	}
	if !bytes.Equal(head[:4], []byte("TREE")) || head[4] != 0 {
		return fmt.Errorf("hdf5: bad group B-tree node at %d", addr)
	}
	le := binary.LittleEndian
	level := int(head[5])
	n := uint64(le.Uint16(head[6:]))
	body, err := rd.bytes(addr+24, n*16+8)
	if err != nil {
		return err
	}
	for i := uint64(0); i < n; i++ {
		child := le.Uint64(body[8+16*i:])
		if level > 0 {
			if level-1 >= level || depth+1 > maxDepth {
				return fmt.Errorf("hdf5: bad B-tree level")
			}
			if err := rd.btree(child, depth+1, out); err != nil {
				return err
			}
			continue
		}
		sn, err := rd.bytes(child, 8)
		if err != nil {
			return err
		}
		if !bytes.Equal(sn[:4], []byte("SNOD")) || sn[4] != 1 {
			return fmt.Errorf("hdf5: bad symbol table node at %d", child)
		}
		cnt := uint64(le.Uint16(sn[6:]))
		if len(*out)+int(cnt) > maxObjects {
			return fmt.Errorf("hdf5: more than %d group members", maxObjects)
		}
		ents, err := rd.bytes(child+8, cnt*40)
		if err != nil {
			return err
		}
		for j := uint64(0); j < cnt; j++ {
			*out = append(*out, ents[40*j:40*j+40])
		}
	}
	return nil
}

// dataset decodes a dataset's dataspace, datatype and layout and reads its data.
func (rd *reader) dataset(path string, msgs []msg) (Dataset, error) {
	d := Dataset{Path: path}
	le := binary.LittleEndian
	var space, dtype, layout []byte
	for _, m := range msgs {
		switch m.kind {
		case 0x1:
			space = m.body
		case 0x3:
			dtype = m.body
		case 0x8:
			layout = m.body
		case 0xB:
			return d, fmt.Errorf("hdf5: dataset %q uses filters (compression) which are not supported; save without compression", "/"+path)
		case 0x7:
			return d, fmt.Errorf("hdf5: dataset %q uses external storage which is not supported", "/"+path)
		}
	}
	if space == nil || dtype == nil {
		return d, fmt.Errorf("hdf5: dataset %q lacks a dataspace or datatype", "/"+path)
	}
	// Dataspace, version 1 or 2.
	if len(space) < 4 {
		return d, fmt.Errorf("hdf5: dataset %q: short dataspace", "/"+path)
	}
	rank := int(space[1])
	dimsAt := 8
	switch space[0] {
	case 1:
	case 2:
		dimsAt = 4
		if space[3] == 2 {
			return d, fmt.Errorf("hdf5: dataset %q has a null dataspace (no data), which is not supported", "/"+path)
		}
	default:
		return d, fmt.Errorf("hdf5: dataset %q: dataspace version %d is not supported", "/"+path, space[0])
	}
	if rank > maxRank || len(space) < dimsAt+8*rank {
		return d, fmt.Errorf("hdf5: dataset %q: bad dataspace of rank %d", "/"+path, rank)
	}
	count := uint64(1)
	d.Shape = make([]int, rank)
	for i := range d.Shape {
		s := le.Uint64(space[dimsAt+8*i:])
		if s > 1<<40 || (s > 0 && count > (1<<40)/s) {
			return d, fmt.Errorf("hdf5: dataset %q: shape too large", "/"+path)
		}
		count *= s
		d.Shape[i] = int(s)
	}
	dt, err := decodeType(dtype)
	if err != nil {
		return d, fmt.Errorf("hdf5: dataset %q: %v", "/"+path, err)
	}
	d.DType = dt
	nbytes := count * uint64(DTypeSize(dt))
	if len(layout) < 2 {
		return d, fmt.Errorf("hdf5: dataset %q: short layout message", "/"+path)
	}
	if layout[0] != 3 {
		return d, fmt.Errorf("hdf5: dataset %q: layout message version %d is not supported (only 3)", "/"+path, layout[0])
	}
	switch layout[1] {
	case 1:
	case 0:
		return d, fmt.Errorf("hdf5: dataset %q uses the compact layout, which is not supported", "/"+path)
	case 2:
		return d, fmt.Errorf("hdf5: dataset %q uses the chunked layout, which is not supported (Keras and h5py write contiguous datasets unless chunks or compression are asked for)", "/"+path)
	default:
		return d, fmt.Errorf("hdf5: dataset %q uses layout class %d, which is not supported", "/"+path, layout[1])
	}
	if len(layout) < 18 {
		return d, fmt.Errorf("hdf5: dataset %q: short layout message", "/"+path)
	}
	addr, size := le.Uint64(layout[2:]), le.Uint64(layout[10:])
	if nbytes == 0 {
		d.Data = []byte{}
		return d, nil
	}
	if addr == undefAddr {
		return d, fmt.Errorf("hdf5: dataset %q has no data written (unallocated storage is not supported)", "/"+path)
	}
	if size < nbytes {
		return d, fmt.Errorf("hdf5: dataset %q: storage of %d bytes is shorter than shape %v of %s (%d bytes)", "/"+path, size, d.Shape, dt, nbytes)
	}
	if d.Data, err = rd.bytes(addr, nbytes); err != nil {
		return d, err
	}
	return d, nil
}

// decodeType names a datatype message's type, refusing the ones outside the subset.
func decodeType(b []byte) (string, error) {
	if len(b) < 8 {
		return "", fmt.Errorf("short datatype message")
	}
	class := b[0] & 0x0f
	size := binary.LittleEndian.Uint32(b[4:])
	switch class {
	case 0:
		if b[1]&1 != 0 {
			return "", fmt.Errorf("big-endian integers are not supported")
		}
		if size != 1 && size != 2 && size != 4 && size != 8 {
			return "", fmt.Errorf("a %d-byte integer is not supported", size)
		}
		if b[1]&0x08 != 0 {
			return fmt.Sprintf("int%d", 8*size), nil
		}
		return fmt.Sprintf("uint%d", 8*size), nil
	case 1:
		if b[1]&1 != 0 || b[1]&0x40 != 0 {
			return "", fmt.Errorf("big-endian or VAX floats are not supported")
		}
		switch size {
		case 2:
			return "float16", nil
		case 4:
			return "float32", nil
		case 8:
			return "float64", nil
		}
		return "", fmt.Errorf("a %d-byte float is not supported", size)
	}
	names := map[byte]string{2: "time", 3: "string", 4: "bitfield", 5: "opaque", 6: "compound (e.g. complex or bfloat16 stored as a struct)", 7: "reference", 8: "enum (e.g. bool)", 9: "variable-length", 10: "array"}
	if n, ok := names[class]; ok {
		return "", fmt.Errorf("the %s datatype is not supported (only IEEE floats and integers)", n)
	}
	return "", fmt.Errorf("datatype class %d is not supported", class)
}
