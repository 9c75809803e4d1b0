package sequential

import (
	"github.com/keraswasm/keraswasm/tensor"
)

// Validation gives the run validation data (fit's validation_data, or the
// rows validation_split cut off): x, y and sample weights (nil for none),
// checked as fit checks them and evaluated in batches of batchSize (0: the
// run's). One replica validates (the coordinator's logging one): the
// weights are the same everywhere.
func (p *Parallel) Validation(x, y *tensor.Tensor, sampleWeight []float32, batchSize int) (err error) {
	defer recoverInto(&err, "Validation")
	d, err := p.m.checkData("validation_data", x, y, sampleWeight)
	if err != nil {
		return err
	}
	if batchSize == 0 {
		batchSize = p.batch
	}
	bs, err := p.m.checkBatchSize("validation_batch_size", batchSize, d.n)
	if err != nil {
		return err
	}
	// The training buffers stay allocated while validating, as in fit (checkFitMemory).
	release, err := p.m.checkRunMemory("fit", d.flow, min(bs, d.n), true, 0)
	if err != nil {
		return err
	}
	p.releaseValidation()
	p.val, p.valBatch, p.valRelease = d, bs, release
	return nil
}

// EpochLogs writes the epoch's loss mean and metrics into logs and, when
// validate (and there is validation data), evaluates it and adds the val_
// values, as fit's epoch does. Validating starts the metrics again.
func (p *Parallel) EpochLogs(logs Logs, validate bool) (err error) {
	defer recoverInto(&err, "EpochLogs")
	p.m.fillLogs(logs, "")
	if !validate || p.val == nil {
		return nil
	}
	if err := p.m.testLoop(p.val, p.valBatch, 0, nil, Logs{}); err != nil {
		return err
	}
	p.m.fillLogs(logs, "val_")
	return nil
}

func (p *Parallel) releaseValidation() {
	if p.valRelease != nil {
		p.valRelease()
		p.valRelease = nil
	}
	p.val = nil
}
