"""Ready lists of the frameworks and standards policies refer to: ITIL 4 practices, COBIT 2019
objectives, ISO/IEC 20000-1:2018 clauses, NIST CSF 2.0 functions and categories, ISO/IEC
27001:2022 Annex A controls (model layer).

A policy stores a reference as two strings, the framework's name and the clause's label
(`FrameworkReference("ISO/IEC 20000-1:2018", "8.6.1 Incident management")`); the lists only
offer what to pick, and any other text stays allowed (a newer edition, an internal standard).
Identifiers and titles are those of the publications; titles are not the requirement texts,
which the publishers' copyright covers.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Clause:
    code: str  # "8.6.1", "A.5.24", "DSS02", "GV.OC"; empty for ITIL practices
    title: str
    group: str  # the chapter, domain, function or practice group it belongs to

    @property
    def label(self) -> str:
        """What a policy stores as the clause: code and title."""
        return f"{self.code} {self.title}" if self.code else self.title


@dataclass(frozen=True)
class Framework:
    name: str  # what a policy stores as the framework
    title: str  # the publication's full name
    kind: str  # what its entries are called: practice, objective, clause, category, control
    clauses: tuple[Clause, ...]

    def groups(self) -> list[str]:
        return list(dict.fromkeys(clause.group for clause in self.clauses))

    def find(self, label: str) -> Clause | None:
        """The entry a stored clause names: by its label, or by its code alone ("8.6.1")."""
        wanted = " ".join(label.split()).casefold()
        for clause in self.clauses:
            if clause.label.casefold() == wanted or (clause.code and clause.code.casefold() == wanted):
                return clause
        return None


def _entries(group: str, rows: str, *, coded: bool = True) -> tuple[Clause, ...]:
    """One entry per line, 'CODE Title' (or just 'Title' when not coded)."""
    out = []
    for line in rows.strip().splitlines():
        line = line.strip()
        if coded:
            code, _, title = line.partition(" ")
            out.append(Clause(code, title, group))
        else:
            out.append(Clause("", line, group))
    return tuple(out)


# --- ITIL 4: the 34 management practices, in their three groups ---------------------------------

_ITIL_GENERAL = "General management practices"
_ITIL_SERVICE = "Service management practices"
_ITIL_TECHNICAL = "Technical management practices"

ITIL_4 = Framework(
    "ITIL 4",
    "ITIL 4: the 34 management practices",
    "practice",
    _entries(
        _ITIL_GENERAL,
        """
        Architecture management practice
        Continual improvement practice
        Information security management practice
        Knowledge management practice
        Measurement and reporting practice
        Organizational change management practice
        Portfolio management practice
        Project management practice
        Relationship management practice
        Risk management practice
        Service financial management practice
        Strategy management practice
        Supplier management practice
        Workforce and talent management practice
        """,
        coded=False,
    )
    + _entries(
        _ITIL_SERVICE,
        """
        Availability management practice
        Business analysis practice
        Capacity and performance management practice
        Change enablement practice
        Incident management practice
        IT asset management practice
        Monitoring and event management practice
        Problem management practice
        Release management practice
        Service catalogue management practice
        Service configuration management practice
        Service continuity management practice
        Service design practice
        Service desk practice
        Service level management practice
        Service request management practice
        Service validation and testing practice
        """,
        coded=False,
    )
    + _entries(
        _ITIL_TECHNICAL,
        """
        Deployment management practice
        Infrastructure and platform management practice
        Software development and management practice
        """,
        coded=False,
    ),
)

# --- COBIT 2019: the 40 governance and management objectives --------------------------------------

COBIT_2019 = Framework(
    "COBIT 2019",
    "COBIT 2019 Framework: governance and management objectives",
    "objective",
    _entries(
        "EDM Evaluate, Direct and Monitor",
        """
        EDM01 Ensured Governance Framework Setting and Maintenance
        EDM02 Ensured Benefits Delivery
        EDM03 Ensured Risk Optimization
        EDM04 Ensured Resource Optimization
        EDM05 Ensured Stakeholder Engagement
        """,
    )
    + _entries(
        "APO Align, Plan and Organize",
        """
        APO01 Managed I&T Management Framework
        APO02 Managed Strategy
        APO03 Managed Enterprise Architecture
        APO04 Managed Innovation
        APO05 Managed Portfolio
        APO06 Managed Budget and Costs
        APO07 Managed Human Resources
        APO08 Managed Relationships
        APO09 Managed Service Agreements
        APO10 Managed Vendors
        APO11 Managed Quality
        APO12 Managed Risk
        APO13 Managed Security
        APO14 Managed Data
        """,
    )
    + _entries(
        "BAI Build, Acquire and Implement",
        """
        BAI01 Managed Programs
        BAI02 Managed Requirements Definition
        BAI03 Managed Solutions Identification and Build
        BAI04 Managed Availability and Capacity
        BAI05 Managed Organizational Change
        BAI06 Managed IT Changes
        BAI07 Managed IT Change Acceptance and Transitioning
        BAI08 Managed Knowledge
        BAI09 Managed Assets
        BAI10 Managed Configuration
        BAI11 Managed Projects
        """,
    )
    + _entries(
        "DSS Deliver, Service and Support",
        """
        DSS01 Managed Operations
        DSS02 Managed Service Requests and Incidents
        DSS03 Managed Problems
        DSS04 Managed Continuity
        DSS05 Managed Security Services
        DSS06 Managed Business Process Controls
        """,
    )
    + _entries(
        "MEA Monitor, Evaluate and Assess",
        """
        MEA01 Managed Performance and Conformance Monitoring
        MEA02 Managed System of Internal Control
        MEA03 Managed Compliance With External Requirements
        MEA04 Managed Assurance
        """,
    ),
)

# --- ISO/IEC 20000-1:2018: the requirement clauses 4 to 10 with their subclauses ------------------

_ISO20000_4 = "4 Context of the organization"
_ISO20000_5 = "5 Leadership"
_ISO20000_6 = "6 Planning"
_ISO20000_7 = "7 Support of the service management system"
_ISO20000_8 = "8 Operation of the service management system"
_ISO20000_9 = "9 Performance evaluation"
_ISO20000_10 = "10 Improvement"

ISO_20000_1 = Framework(
    "ISO/IEC 20000-1:2018",
    "ISO/IEC 20000-1:2018 Information technology — Service management — Part 1: Service management system requirements",
    "clause",
    _entries(
        _ISO20000_4,
        """
        4.1 Understanding the organization and its context
        4.2 Understanding the needs and expectations of interested parties
        4.3 Determining the scope of the service management system
        4.4 Service management system
        """,
    )
    + _entries(
        _ISO20000_5,
        """
        5.1 Leadership and commitment
        5.2 Policy
        5.2.1 Establishing the service management policy
        5.2.2 Communicating the service management policy
        5.3 Organizational roles, responsibilities and authorities
        """,
    )
    + _entries(
        _ISO20000_6,
        """
        6.1 Actions to address risks and opportunities
        6.2 Service management objectives and planning to achieve them
        6.2.1 Establish objectives
        6.2.2 Plan to achieve objectives
        6.3 Plan the service management system
        """,
    )
    + _entries(
        _ISO20000_7,
        """
        7.1 Resources
        7.2 Competence
        7.3 Awareness
        7.4 Communication
        7.5 Documented information
        7.5.1 General
        7.5.2 Creating and updating documented information
        7.5.3 Control of documented information
        7.5.4 Service management system documented information
        7.6 Knowledge
        """,
    )
    + _entries(
        _ISO20000_8,
        """
        8.1 Operational planning and control
        8.2 Service portfolio
        8.2.1 Service delivery
        8.2.2 Plan the services
        8.2.3 Control of parties involved in the service lifecycle
        8.2.4 Service catalogue management
        8.2.5 Asset management
        8.2.6 Configuration management
        8.3 Relationship and agreement
        8.3.1 General
        8.3.2 Business relationship management
        8.3.3 Service level management
        8.3.4 Supplier management
        8.3.4.1 Management of external suppliers
        8.3.4.2 Management of internal suppliers and customers acting as a supplier
        8.4 Supply and demand
        8.4.1 Budgeting and accounting for services
        8.4.2 Demand management
        8.4.3 Capacity management
        8.5 Service design, build and transition
        8.5.1 Change management
        8.5.1.1 Change management policy
        8.5.1.2 Change management initiation
        8.5.1.3 Change management activities
        8.5.2 Service design and transition
        8.5.2.1 Plan new or changed services
        8.5.2.2 Design
        8.5.2.3 Build and transition
        8.5.3 Release and deployment management
        8.6 Resolution and fulfilment
        8.6.1 Incident management
        8.6.2 Service request management
        8.6.3 Problem management
        8.7 Service assurance
        8.7.1 Service availability management
        8.7.2 Service continuity management
        8.7.3 Information security management
        8.7.3.1 Information security policy
        8.7.3.2 Information security controls
        8.7.3.3 Information security incidents
        """,
    )
    + _entries(
        _ISO20000_9,
        """
        9.1 Monitoring, measurement, analysis and evaluation
        9.2 Internal audit
        9.3 Management review
        9.4 Service reporting
        """,
    )
    + _entries(
        _ISO20000_10,
        """
        10.1 Nonconformity and corrective action
        10.2 Continual improvement
        """,
    ),
)

# --- NIST Cybersecurity Framework 2.0: the 6 functions and 22 categories --------------------------


def _function(code: str, name: str, categories: str) -> tuple[Clause, ...]:
    group = f"{code} {name}"
    return (Clause(code, name, group), *_entries(group, categories))


NIST_CSF_2 = Framework(
    "NIST CSF 2.0",
    "NIST Cybersecurity Framework (CSF) 2.0",
    "category",
    _function(
        "GV",
        "Govern",
        """
        GV.OC Organizational Context
        GV.RM Risk Management Strategy
        GV.RR Roles, Responsibilities, and Authorities
        GV.PO Policy
        GV.OV Oversight
        GV.SC Cybersecurity Supply Chain Risk Management
        """,
    )
    + _function(
        "ID",
        "Identify",
        """
        ID.AM Asset Management
        ID.RA Risk Assessment
        ID.IM Improvement
        """,
    )
    + _function(
        "PR",
        "Protect",
        """
        PR.AA Identity Management, Authentication, and Access Control
        PR.AT Awareness and Training
        PR.DS Data Security
        PR.PS Platform Security
        PR.IR Technology Infrastructure Resilience
        """,
    )
    + _function(
        "DE",
        "Detect",
        """
        DE.CM Continuous Monitoring
        DE.AE Adverse Event Analysis
        """,
    )
    + _function(
        "RS",
        "Respond",
        """
        RS.MA Incident Management
        RS.AN Incident Analysis
        RS.CO Incident Response Reporting and Communication
        RS.MI Incident Mitigation
        """,
    )
    + _function(
        "RC",
        "Recover",
        """
        RC.RP Incident Recovery Plan Execution
        RC.CO Incident Recovery Communication
        """,
    ),
)

# --- ISO/IEC 27001:2022 Annex A: the 93 controls in four themes -----------------------------------

ISO_27001 = Framework(
    "ISO/IEC 27001:2022",
    "ISO/IEC 27001:2022 Information security, cybersecurity and privacy protection — Annex A controls",
    "control",
    _entries(
        "A.5 Organizational controls",
        """
        A.5.1 Policies for information security
        A.5.2 Information security roles and responsibilities
        A.5.3 Segregation of duties
        A.5.4 Management responsibilities
        A.5.5 Contact with authorities
        A.5.6 Contact with special interest groups
        A.5.7 Threat intelligence
        A.5.8 Information security in project management
        A.5.9 Inventory of information and other associated assets
        A.5.10 Acceptable use of information and other associated assets
        A.5.11 Return of assets
        A.5.12 Classification of information
        A.5.13 Labelling of information
        A.5.14 Information transfer
        A.5.15 Access control
        A.5.16 Identity management
        A.5.17 Authentication information
        A.5.18 Access rights
        A.5.19 Information security in supplier relationships
        A.5.20 Addressing information security within supplier agreements
        A.5.21 Managing information security in the information and communication technology (ICT) supply chain
        A.5.22 Monitoring, review and change management of supplier services
        A.5.23 Information security for use of cloud services
        A.5.24 Information security incident management planning and preparation
        A.5.25 Assessment and decision on information security events
        A.5.26 Response to information security incidents
        A.5.27 Learning from information security incidents
        A.5.28 Collection of evidence
        A.5.29 Information security during disruption
        A.5.30 ICT readiness for business continuity
        A.5.31 Legal, statutory, regulatory and contractual requirements
        A.5.32 Intellectual property rights
        A.5.33 Protection of records
        A.5.34 Privacy and protection of personal identifiable information (PII)
        A.5.35 Independent review of information security
        A.5.36 Compliance with policies, rules and standards for information security
        A.5.37 Documented operating procedures
        """,
    )
    + _entries(
        "A.6 People controls",
        """
        A.6.1 Screening
        A.6.2 Terms and conditions of employment
        A.6.3 Information security awareness, education and training
        A.6.4 Disciplinary process
        A.6.5 Responsibilities after termination or change of employment
        A.6.6 Confidentiality or non-disclosure agreements
        A.6.7 Remote working
        A.6.8 Information security event reporting
        """,
    )
    + _entries(
        "A.7 Physical controls",
        """
        A.7.1 Physical security perimeters
        A.7.2 Physical entry
        A.7.3 Securing offices, rooms and facilities
        A.7.4 Physical security monitoring
        A.7.5 Protecting against physical and environmental threats
        A.7.6 Working in secure areas
        A.7.7 Clear desk and clear screen
        A.7.8 Equipment siting and protection
        A.7.9 Security of assets off-premises
        A.7.10 Storage media
        A.7.11 Supporting utilities
        A.7.12 Cabling security
        A.7.13 Equipment maintenance
        A.7.14 Secure disposal or re-use of equipment
        """,
    )
    + _entries(
        "A.8 Technological controls",
        """
        A.8.1 User end point devices
        A.8.2 Privileged access rights
        A.8.3 Information access restriction
        A.8.4 Access to source code
        A.8.5 Secure authentication
        A.8.6 Capacity management
        A.8.7 Protection against malware
        A.8.8 Management of technical vulnerabilities
        A.8.9 Configuration management
        A.8.10 Information deletion
        A.8.11 Data masking
        A.8.12 Data leakage prevention
        A.8.13 Information backup
        A.8.14 Redundancy of information processing facilities
        A.8.15 Logging
        A.8.16 Monitoring activities
        A.8.17 Clock synchronization
        A.8.18 Use of privileged utility programs
        A.8.19 Installation of software on operational systems
        A.8.20 Networks security
        A.8.21 Security of network services
        A.8.22 Segregation of networks
        A.8.23 Web filtering
        A.8.24 Use of cryptography
        A.8.25 Secure development life cycle
        A.8.26 Application security requirements
        A.8.27 Secure system architecture and engineering principles
        A.8.28 Secure coding
        A.8.29 Security testing in development and acceptance
        A.8.30 Outsourced development
        A.8.31 Separation of development, test and production environments
        A.8.32 Change management
        A.8.33 Test information
        A.8.34 Protection of information systems during audit testing
        """,
    ),
)

FRAMEWORKS: tuple[Framework, ...] = (ITIL_4, COBIT_2019, ISO_20000_1, NIST_CSF_2, ISO_27001)


def framework(name: str) -> Framework | None:
    """The ready list a stored framework name stands for, if any (case and spacing ignored)."""
    wanted = " ".join(name.split()).casefold()
    return next((f for f in FRAMEWORKS if f.name.casefold() == wanted), None)
