package ui

import (
	"fyne.io/fyne/v2/widget"

	"danvan/data"
)

// IssuerFields are the profile's fields that head and sign the unit's
// documents (data.Issuer): the unit's kind, the body above it, the number
// symbol, the signer and "Nơi nhận". Choosing a kind fills in, from the
// commune's name, every field the user left empty or as last suggested
// (the unit's name included), so that a cadre's first report already
// has the form its superiors accept.
type IssuerFields struct {
	sh   *Shell
	unit *widget.Entry

	Kind       *EnumSelect
	Parent     *widget.Entry
	Symbol     *widget.Entry
	SignerRole *widget.Entry
	Signer     *widget.Entry
	Recipients *widget.Entry

	// suggested is what the last kind suggested, field by field.
	suggested map[*widget.Entry]string
	// changed, if not nil, is called after any change.
	changed func()
}

func newIssuerFields(sh *Shell, unit *widget.Entry) *IssuerFields {
	f := &IssuerFields{sh: sh, unit: unit, suggested: map[*widget.Entry]string{}}
	kinds := make([]string, len(data.UnitKinds))
	for i, k := range data.UnitKinds {
		kinds[i] = string(k)
	}
	f.Kind = NewEnumSelect(sh, "unit_kind", kinds, func(string) { f.suggest() })
	f.Parent, f.Symbol, f.Signer = widget.NewEntry(), widget.NewEntry(), widget.NewEntry()
	f.SignerRole, f.Recipients = widget.NewMultiLineEntry(), widget.NewMultiLineEntry()
	f.SignerRole.SetMinRowsVisible(2)
	f.Recipients.SetMinRowsVisible(3)
	f.Signer.SetPlaceHolder(sh.T("settings.signer_placeholder"))
	f.Recipients.SetPlaceHolder(sh.T("settings.recipients_placeholder"))
	for _, e := range []*widget.Entry{f.Parent, f.Symbol, f.SignerRole, f.Signer, f.Recipients} {
		e.OnChanged = func(string) { f.notify() }
	}
	return f
}

func (f *IssuerFields) notify() {
	if f.changed != nil {
		f.changed()
	}
}

// suggest fills in the fields for the chosen kind (see IssuerFields).
func (f *IssuerFields) suggest() {
	k := data.UnitKind(f.Kind.Value())
	st := f.sh.Store()
	if k == "" || st == nil {
		f.notify()
		return
	}
	c, _ := data.CommuneByCode(st.Commune())
	unit, is := data.SuggestUnit(k, c.Name)
	for e, v := range map[*widget.Entry]string{f.unit: unit, f.Parent: is.Parent, f.Symbol: is.Symbol,
		f.SignerRole: is.SignerRole, f.Recipients: is.Recipients} {
		if e == nil {
			continue
		}
		if e.Text == "" || e.Text == f.suggested[e] {
			e.SetText(v)
		}
		f.suggested[e] = v
	}
	f.notify()
}

// set shows is.
func (f *IssuerFields) set(is data.Issuer) {
	f.Kind.OnChanged, f.suggested = nil, map[*widget.Entry]string{}
	f.Kind.SetValue(string(is.UnitKind))
	f.Kind.OnChanged = func(string) { f.suggest() }
	f.Parent.SetText(is.Parent)
	f.Symbol.SetText(is.Symbol)
	f.SignerRole.SetText(is.SignerRole)
	f.Signer.SetText(is.Signer)
	f.Recipients.SetText(is.Recipients)
}

// issuer returns what the fields hold.
func (f *IssuerFields) issuer() data.Issuer {
	return data.Issuer{UnitKind: data.UnitKind(f.Kind.Value()), Parent: f.Parent.Text, Symbol: f.Symbol.Text,
		SignerRole: f.SignerRole.Text, Signer: f.Signer.Text, Recipients: f.Recipients.Text}
}

// addTo adds the fields to form, after a hint on what they change.
func (f *IssuerFields) addTo(form *Form) {
	form.AddRow(hintLabel(f.sh.T("settings.issuer_hint")))
	form.Add("field.profile.unit_kind", f.Kind, nil)
	form.Add("field.profile.parent", f.Parent, nil)
	form.Add("field.profile.symbol", f.Symbol, nil)
	form.Add("field.profile.signer_role", f.SignerRole, nil)
	form.Add("field.profile.signer", f.Signer, nil)
	form.Add("field.profile.recipients", f.Recipients, nil)
}
