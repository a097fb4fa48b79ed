// Checks that an ontology document is in the OWL 2 DL profile, with the OWL API that ships
// inside owlready2's HermiT.jar. Run: java -cp HermiT.jar DLProfileCheck.java FILE
import java.io.File;
import org.semanticweb.owlapi.apibinding.OWLManager;
import org.semanticweb.owlapi.model.OWLOntology;
import org.semanticweb.owlapi.model.OWLOntologyManager;
import org.semanticweb.owlapi.profiles.OWL2DLProfile;
import org.semanticweb.owlapi.profiles.OWLProfileReport;
import org.semanticweb.owlapi.profiles.OWLProfileViolation;

public class DLProfileCheck {
    public static void main(String[] args) throws Exception {
        OWLOntologyManager manager = OWLManager.createOWLOntologyManager();
        OWLOntology ontology = manager.loadOntologyFromOntologyDocument(new File(args[0]));
        OWLProfileReport report = new OWL2DLProfile().checkOntology(ontology);
        for (OWLProfileViolation violation : report.getViolations()) {
            System.out.println("violation: " + violation);
        }
        System.out.println("axioms: " + ontology.getAxiomCount());
        System.out.println(report.isInProfile() ? "OWL 2 DL: yes" : "OWL 2 DL: no");
        System.exit(report.isInProfile() ? 0 : 1);
    }
}
