package comms

import "slices"

// Her rights under the Victims' Code (Code of Practice for Victims of
// Crime in England and Wales, 2020, in force 1 April 2021; a statutory duty
// since the Victims and Prisoners Act 2024): the twelve rights, in plain
// words, with those that matter most at her case's step marked. The
// portal's "Your rights" page; the same plain-language limits as the
// messages hold (TestRightsArePlain).

// Right is one of the Code's twelve rights.
type Right struct {
	Number int
	Title  string
	Text   string
	// Now: this right matters most at the case's step.
	Now bool
}

type right struct {
	en, cy [2]string // title, text
	steps  []string  // the steps at which it matters most; nil: at all
}

// easyRights are the rights' texts in easy read, in order, by language:
// one or two short sentences each, under the same titles.
var easyRights = map[string][12]string{
	"en": {
		"We must help you understand. You can have free help to talk.",
		"The police must write down what you told them.",
		"The police must tell you what happens next.",
		"You can get help and support. It is free.",
		"You may get money for the harm done to you.",
		"We must tell you important news within one working day.",
		"You can tell the judge how the crime hurt you.",
		"We must tell you the dates. You can ask for help at court.",
		"We must tell you what the court decided.",
		"You can get money back for going to court. You get your things back.",
		"You can be told when they leave prison.",
		"You can complain if we let you down. Ask us how.",
	},
	"cy": {
		"Rhaid i ni eich helpu i ddeall. Gallwch gael help am ddim i siarad.",
		"Rhaid i'r heddlu ysgrifennu beth ddywedoch chi.",
		"Rhaid i'r heddlu ddweud beth sy'n digwydd nesaf.",
		"Gallwch gael help a chymorth. Mae am ddim.",
		"Efallai y cewch arian am y niwed a wnaed i chi.",
		"Rhaid i ni ddweud newyddion pwysig wrthych o fewn un diwrnod gwaith.",
		"Gallwch ddweud wrth y barnwr sut mae'r drosedd wedi eich brifo.",
		"Rhaid i ni ddweud y dyddiadau wrthych. Gallwch ofyn am help yn y llys.",
		"Rhaid i ni ddweud wrthych beth benderfynodd y llys.",
		"Gallwch gael arian yn ôl am fynd i'r llys. Cewch eich pethau yn ôl.",
		"Gallwch gael gwybod pryd maen nhw'n gadael y carchar.",
		"Gallwch gwyno os ydym yn eich siomi. Gofynnwch i ni sut.",
	},
}

var rights = []right{
	{en: [2]string{"To understand and be understood", "We must explain things in a way you understand. You can have an interpreter, or help to communicate, for free."},
		cy: [2]string{"Deall a chael eich deall", "Rhaid i ni esbonio pethau mewn ffordd rydych yn ei deall. Gallwch gael cyfieithydd, neu help i gyfathrebu, am ddim."}},
	{en: [2]string{"To have the crime recorded without delay", "The police must record what you told them as soon as they can."},
		cy:    [2]string{"Cofnodi'r drosedd heb oedi", "Rhaid i'r heddlu gofnodi beth ddywedoch chi wrthyn nhw cyn gynted ag y gallan nhw."},
		steps: []string{StepInvestigation}},
	{en: [2]string{"To get information when you report the crime", "The police must give you a written record of your report and tell you what will happen next."},
		cy:    [2]string{"Cael gwybodaeth pan fyddwch yn rhoi gwybod am y drosedd", "Rhaid i'r heddlu roi cofnod ysgrifenedig o'ch adroddiad i chi a dweud beth fydd yn digwydd nesaf."},
		steps: []string{StepInvestigation}},
	{en: [2]string{"To get support", "You can be put in touch with support services, and have support that fits your needs. This is true whatever happens in the case."},
		cy: [2]string{"Cael cymorth", "Gallwn eich rhoi mewn cysylltiad â gwasanaethau cymorth, a chael cymorth sy'n addas i chi. Mae hyn yn wir beth bynnag sy'n digwydd yn yr achos."}},
	{en: [2]string{"To get information about compensation", "You may be able to claim money for the harm done to you. Ask us how."},
		cy: [2]string{"Cael gwybodaeth am iawndal", "Efallai y gallwch hawlio arian am y niwed a wnaed i chi. Gofynnwch i ni sut."}},
	{en: [2]string{"To be told about the investigation and the case", "We must tell you about important news in your case. As a victim of a sexual offence, you must be told within one working day."},
		cy:    [2]string{"Cael gwybod am yr ymchwiliad a'r achos", "Rhaid i ni ddweud wrthych am newyddion pwysig yn eich achos. Fel dioddefwr trosedd rywiol, rhaid dweud wrthych o fewn un diwrnod gwaith."},
		steps: []string{StepInvestigation, StepNotCharged, StepCharged, StepFirstHearing, StepWaiting, StepStopped}},
	{en: [2]string{"To make a Victim Personal Statement", "You can tell the court how the crime has affected you. The judge reads it before deciding the sentence."},
		cy:    [2]string{"Gwneud Datganiad Personol Dioddefwr", "Gallwch ddweud wrth y llys sut mae'r drosedd wedi effeithio arnoch. Mae'r barnwr yn ei ddarllen cyn penderfynu'r ddedfryd."},
		steps: []string{StepWaiting, StepBeforeTrial, StepTrial, StepBeforeSentence}},
	{en: [2]string{"To be told about the trial and your part in it", "We must tell you the dates, and what will happen at court. You can ask for help to give evidence, like a screen or a video link."},
		cy:    [2]string{"Cael gwybod am y treial a'ch rhan chi ynddo", "Rhaid i ni ddweud y dyddiadau wrthych, a beth fydd yn digwydd yn y llys. Gallwch ofyn am help i roi tystiolaeth, fel sgrin neu gyswllt fideo."},
		steps: []string{StepWaiting, StepBeforeTrial, StepTrial, StepRetrial}},
	{en: [2]string{"To be told the outcome of the case", "We must tell you what the court decided, and about any appeal."},
		cy:    [2]string{"Cael gwybod canlyniad yr achos", "Rhaid i ni ddweud wrthych beth benderfynodd y llys, ac am unrhyw apêl."},
		steps: []string{StepTrial, StepBeforeSentence, StepSentenced, StepAcquitted}},
	{en: [2]string{"To be paid expenses and have your things returned", "If you go to court as a witness, you can claim for travel, food and lost earnings. Your things should be given back when they are no longer needed."},
		cy:    [2]string{"Cael costau a chael eich pethau'n ôl", "Os ewch chi i'r llys fel tyst, gallwch hawlio am deithio, bwyd ac enillion a gollwyd. Dylai eich pethau gael eu rhoi'n ôl pan nad oes eu hangen mwyach."},
		steps: []string{StepBeforeTrial, StepTrial, StepSentenced, StepAcquitted, StepStopped, StepClosed}},
	{en: [2]string{"To be told about the offender after a conviction", "If they go to prison for 12 months or more, the Probation Service can tell you about their release."},
		cy:    [2]string{"Cael gwybod am y troseddwr ar ôl euogfarn", "Os ydyn nhw'n mynd i'r carchar am 12 mis neu fwy, gall y Gwasanaeth Prawf ddweud wrthych am eu rhyddhau."},
		steps: []string{StepBeforeSentence, StepSentenced}},
	{en: [2]string{"To complain if these rights are not met", "Complain first to the team that let you down, such as the police, the CPS or Witness Care. If you are still not happy, your MP can ask the Parliamentary and Health Service Ombudsman to look at it."},
		cy: [2]string{"Cwyno os na chaiff yr hawliau hyn eu bodloni", "Cwynwch yn gyntaf i'r tîm a wnaeth eich siomi, fel yr heddlu, y CPS neu Gofal Tystion. Os nad ydych yn hapus o hyd, gall eich AS ofyn i'r Ombwdsmon Seneddol a Gwasanaeth Iechyd edrych arno."}},
}

// Rights are the Code's twelve rights in lang, those that matter most at
// step marked Now; in easy read when easy.
func Rights(lang, step string, easy bool) []Right {
	out := make([]Right, len(rights))
	for i, r := range rights {
		tt := r.en
		if lang == "cy" {
			tt = r.cy
		}
		if easy {
			tt[1] = easyRights[lang][i]
		}
		out[i] = Right{Number: i + 1, Title: tt[0], Text: tt[1], Now: r.steps != nil && slices.Contains(r.steps, step)}
	}
	return out
}
