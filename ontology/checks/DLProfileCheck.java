// Checks that an ontology document is in the OWL 2 DL profile, with the OWL API that ships
// inside owlready2's HermiT.jar. Run: java -cp HermiT.jar DLProfileCheck.java FILE
import java.io.File;
import org.semanticweb.owlapi.apibinding.OWLManager;
import org.semanticweb.owlapi.model.OWLDatatype;
import org.semanticweb.owlapi.model.OWLOntology;
import org.semanticweb.owlapi.model.OWLOntologyManager;
import org.semanticweb.owlapi.profiles.OWL2DLProfile;
import org.semanticweb.owlapi.profiles.OWLProfileReport;
import org.semanticweb.owlapi.profiles.OWLProfileViolation;
import org.semanticweb.owlapi.vocab.OWL2Datatype;

public class DLProfileCheck {
    public static void main(String[] args) throws Exception {
        OWLOntologyManager manager = OWLManager.createOWLOntologyManager();
        OWLOntology ontology = manager.loadOntologyFromOntologyDocument(new File(args[0]));
        OWLProfileReport report = new OWL2DLProfile().checkOntology(ontology);
        for (OWLProfileViolation violation : report.getViolations()) {
            System.out.println("violation: " + violation);
        }
        // The profile checker lets XSD datatypes outside OWL 2's datatype map through (xsd:date,
        // xsd:gYear, xsd:duration ...), which a DL reasoner may refuse: listed, for the caller to judge.
        for (OWLDatatype datatype : ontology.getDatatypesInSignature()) {
            if (!OWL2Datatype.isBuiltIn(datatype.getIRI())) {
                System.out.println("outside the datatype map: " + datatype.getIRI());
            }
        }
        System.out.println("axioms: " + ontology.getAxiomCount());
        System.out.println(report.isInProfile() ? "OWL 2 DL: yes" : "OWL 2 DL: no");
        System.exit(report.isInProfile() ? 0 : 1);
    }
}
